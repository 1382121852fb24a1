import { createI18n } from "@oms/shared";
import de from "../locales/de.json";
import en from "../locales/en.json";
import { featureStrings } from "./featureStrings";

// Each feature keeps its strings beside its code (`features/<f>/locales/<lang>.json`),
// under its own name: `t("orders.title")` reads `features/orders/locales/en.json#title`.
const features = featureStrings(
  import.meta.glob<{ default: object }>("../features/*/locales/*.json", { eager: true }),
);

export const i18n = createI18n({ en: { ...en, ...features.en }, de: { ...de, ...features.de } });
