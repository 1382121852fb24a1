import { NavLink, Skeleton, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useCategories } from "../api";

export function CategoryNav({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const { categoryCode } = useParams();
  const categories = useCategories();
  return (
    <nav aria-label={t("catalogue.categories")}>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="md" mb={4} px="sm">
        {t("catalogue.categories")}
      </Text>
      {categories.isPending && <Skeleton height={28} />}
      {categories.data?.map((category) => (
        <NavLink
          key={category.id}
          component={Link}
          to={`/c/${encodeURIComponent(category.code)}`}
          label={category.name}
          active={category.code === categoryCode}
          onClick={onNavigate}
        />
      ))}
    </nav>
  );
}
