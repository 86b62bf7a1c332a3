// The pages' languages and the shape of one translated text: shared by i18n.ts and the string
// tables it spreads in (strings-*.ts), which cannot import i18n.ts without a cycle.

export const LANGUAGES = ["et", "en", "ru"] as const;
export type Lang = (typeof LANGUAGES)[number];

/** One text in each of the pages' languages. */
export type Entry = Record<Lang, string>;
