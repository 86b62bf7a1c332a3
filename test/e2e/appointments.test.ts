// A booked customer checked in at the desk page by typing the code, in Chromium: the ticket comes
// out at the desk printer and the desk's queue marks it with the appointment badge.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContractClient } from "../../controller/mqtt/contract-client.js";
import { CHROMIUM, e2eConfig, haveChromium, type PagesSession, startPagesSession } from "./support.js";

if (!haveChromium) console.warn(`e2e: skipped, ${CHROMIUM} is not installed (apt-get install chromium)`);

describe.skipIf(!haveChromium)("appointments on the desk page", { timeout: 180_000 }, () => {
  let session: PagesSession;
  let client: ContractClient;
  const config = e2eConfig("/unused");
  const service = config.services[0]?.id ?? "";

  beforeAll(async () => {
    session = await startPagesSession("appointments", e2eConfig);
    client = ContractClient.connect({
      url: `${session.base.replace(/^http/, "ws")}/mqtt`,
      office: config.office.id,
    });
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await session?.close();
  });

  it("checks a typed code in: the ticket is printed and badged as booked", async () => {
    const at = new Date(Date.now() + 5 * 60_000).toISOString();
    const added = await client.request(
      { scope: "appointments", verb: "add" },
      { code: "E2E-0001", service, at },
    );
    expect(added.ok).toBe(true);
    const desk = await session.open("/desk.html");
    await desk.locator("#issue-printer option").nth(1).waitFor({ state: "attached" });
    await desk.locator("#issue-printer").selectOption("desk-printer");
    await desk.locator("#checkin-code").fill("e2e-0001");
    await desk.locator("#check-in").click();
    const badge = desk.locator(`[data-service="${service}"] tbody tr .badge.appointment`);
    await expect.poll(() => badge.count(), { timeout: 30_000 }).toBe(1);
    expect(await badge.getAttribute("data-appointment")).toBe(at);
    await expect.poll(() => desk.locator("#checkin-code").inputValue()).toBe("");
    await session.shot(desk, "desk-appointment");
  });
});
