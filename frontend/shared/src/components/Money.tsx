import { useBranding } from "../branding/BrandingProvider";

export function Money({ amount, currency }: { amount: string; currency?: string }) {
  const { format } = useBranding();
  return <>{format.money(amount, currency)}</>;
}

export function DateTime({ value, dateOnly = false }: { value: string; dateOnly?: boolean }) {
  const { format } = useBranding();
  return <time dateTime={value}>{dateOnly ? format.date(value) : format.dateTime(value)}</time>;
}
