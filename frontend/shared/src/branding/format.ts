export interface Formatters {
  /** An amount (a decimal string, as the API sends money) in the shop's currency. */
  money(amount: string, currency?: string): string;
  dateTime(iso: string): string;
  date(iso: string): string;
}

function usableLocale(locale: string): string {
  try {
    return Intl.NumberFormat.supportedLocalesOf([locale]).length ? locale : "en";
  } catch {
    return "en";
  }
}

export function createFormatters(locale: string, currency: string): Formatters {
  const safeLocale = usableLocale(locale);
  const moneyFormats = new Map<string, Intl.NumberFormat>();
  const moneyFormat = (code: string) => {
    let format = moneyFormats.get(code);
    if (!format) {
      format = new Intl.NumberFormat(safeLocale, { style: "currency", currency: code });
      moneyFormats.set(code, format);
    }
    return format;
  };
  const dateTimeFormat = new Intl.DateTimeFormat(safeLocale, { dateStyle: "medium", timeStyle: "short" });
  const dateFormat = new Intl.DateTimeFormat(safeLocale, { dateStyle: "medium" });
  return {
    money: (amount, code = currency) => moneyFormat(code).format(Number(amount)),
    dateTime: (iso) => dateTimeFormat.format(new Date(iso)),
    date: (iso) => dateFormat.format(new Date(iso)),
  };
}
