import { CompositeChart } from "@mantine/charts";
import { Card, Table, Title, VisuallyHidden } from "@mantine/core";
import { useBranding } from "@oms/shared";
import { useTranslation } from "react-i18next";
import type { Dashboard } from "../api";

/** Orders (bars) and revenue (line) per day; the same figures as a table for screen readers. */
export function DailyChart({ days, currency }: { days: Dashboard["per_day"]; currency: string }) {
  const { t } = useTranslation();
  const { format } = useBranding();
  const data = days.map((day) => ({ day: format.date(day.day), orders: day.orders, revenue: Number(day.revenue) }));
  return (
    <Card withBorder padding="md">
      <Title order={3} size="h5" mb="sm" id="daily-chart-title">
        {t("dashboard.perDay")}
      </Title>
      <div role="img" aria-labelledby="daily-chart-title">
        <CompositeChart
          h={280}
          data={data}
          dataKey="day"
          withLegend
          withRightYAxis
          rightYAxisProps={{ tickFormatter: (value: number) => format.money(String(value), currency) }}
          series={[
            { name: "orders", label: t("dashboard.orders"), color: "blue.6", type: "bar" },
            { name: "revenue", label: t("dashboard.revenue"), color: "teal.6", type: "line", yAxisId: "right" },
          ]}
          valueFormatter={(value) => String(value)}
        />
      </div>
      <VisuallyHidden>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("dashboard.day")}</Table.Th>
              <Table.Th>{t("dashboard.orders")}</Table.Th>
              <Table.Th>{t("dashboard.revenue")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {days.map((day) => (
              <Table.Tr key={day.day}>
                <Table.Td>{format.date(day.day)}</Table.Td>
                <Table.Td>{day.orders}</Table.Td>
                <Table.Td>{format.money(day.revenue, currency)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </VisuallyHidden>
    </Card>
  );
}
