import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";

export function StockBadge({ stock }: { stock: number | null }) {
  const { t } = useTranslation();
  if (stock === null) return <Badge color="green" variant="light">{t("catalogue.available")}</Badge>;
  if (stock <= 0) return <Badge color="red" variant="light">{t("catalogue.outOfStock")}</Badge>;
  return (
    <Badge color={stock < 5 ? "yellow" : "green"} variant="light">
      {t("catalogue.inStock", { count: stock })}
    </Badge>
  );
}
