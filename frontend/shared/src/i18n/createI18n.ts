import i18next, { type i18n as I18n, type Resource } from "i18next";
import LanguageDetector from "i18next-browser-languagedetector";
import { initReactI18next } from "react-i18next";
import commonDe from "../locales/de.json";
import commonEn from "../locales/en.json";

export const LANGUAGES = ["en", "de"] as const;
export type Language = (typeof LANGUAGES)[number];
/** Only a language the user chose is remembered; otherwise branding decides, then the browser. */
export const LANGUAGE_STORAGE_KEY = "oms.language";

export function supportedLanguage(locale: string | null | undefined): Language | null {
  const language = locale?.toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.find((candidate) => candidate === language) ?? null;
}

/** An i18next instance with the shared strings (namespace `common`) and the app's own
 * (namespace `app`, the default; missing keys fall back to `common`). */
export function createI18n(app: Record<Language, object>): I18n {
  const resources: Resource = {
    en: { common: commonEn, app: app.en },
    de: { common: commonDe, app: app.de },
  };
  const instance = i18next.createInstance();
  void instance
    .use(LanguageDetector)
    .use(initReactI18next)
    .init({
      resources,
      ns: ["app", "common"],
      defaultNS: "app",
      fallbackNS: "common",
      fallbackLng: "en",
      supportedLngs: [...LANGUAGES],
      nonExplicitSupportedLngs: true,
      load: "languageOnly",
      interpolation: { escapeValue: false },
      detection: {
        order: ["localStorage", "navigator"],
        lookupLocalStorage: LANGUAGE_STORAGE_KEY,
        caches: [],
      },
    });
  instance.on("languageChanged", (language) => {
    document.documentElement.lang = language;
  });
  return instance;
}

export function chosenLanguage(): Language | null {
  try {
    return supportedLanguage(window.localStorage.getItem(LANGUAGE_STORAGE_KEY));
  } catch {
    return null;
  }
}

export function chooseLanguage(instance: I18n, language: Language): void {
  try {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Storage refused (private mode): the choice lasts for this page only.
  }
  void instance.changeLanguage(language);
}
