// The whole office configuration as one schema: every field (schema.ts) and the checks that span
// them (cross-checks.ts). Loading a file and the generated reference both use it.
import { crossCheck } from "./cross-checks.js";
import { officeFieldsSchema } from "./schema.js";

export const officeConfigSchema = officeFieldsSchema.superRefine(crossCheck);
