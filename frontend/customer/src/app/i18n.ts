import { createI18n } from "@oms/shared";
import de from "../locales/de.json";
import en from "../locales/en.json";

export const i18n = createI18n({ en, de });
