import type { Language } from "@oms/shared";

type Modules = Record<string, { default: object }>;

/** The features' locale files, by language and then by feature name. */
export function featureStrings(modules: Modules): Record<Language, Record<string, object>> {
  const strings: Record<Language, Record<string, object>> = { en: {}, de: {} };
  for (const [path, module] of Object.entries(modules)) {
    const match = /\/features\/([^/]+)\/locales\/(en|de)\.json$/.exec(path);
    if (!match) continue;
    const [, feature, language] = match as unknown as [string, string, Language];
    strings[language][feature] = module.default;
  }
  return strings;
}
