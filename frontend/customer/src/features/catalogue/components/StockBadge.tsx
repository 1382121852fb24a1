import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";

// Filled in dark shades (or a light one with dark text) so the small label keeps AA contrast.
export function StockBadge({ stock }: { stock: number | null }) {
  const { t } = useTranslation();
  if (stock === null) return <Badge color="teal.9">{t("catalogue.available")}</Badge>;
  if (stock <= 0) return <Badge color="red.9">{t("catalogue.outOfStock")}</Badge>;
  return (
    <Badge color={stock < 5 ? "yellow.4" : "teal.9"} autoContrast>
      {t("catalogue.inStock", { count: stock })}
    </Badge>
  );
}
