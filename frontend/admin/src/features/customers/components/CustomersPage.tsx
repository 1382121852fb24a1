import { Anchor, Button, Group, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { ColourBadge, DateTime, QueryState, useDocumentTitle } from "@oms/shared";
import { type SyntheticEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useCustomers } from "../api";
import { TONES } from "../../../lib/tones";

export function CustomersPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("nav.customers"));
  const [search, setSearch] = useSearchParams();
  const q = (search.get("q") ?? "").trim();
  const [text, setText] = useState(q);
  const [shownFor, setShownFor] = useState(q);
  if (q !== shownFor) {
    setShownFor(q);
    setText(q);
  }
  const customers = useCustomers(q);
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setSearch(text.trim() ? { q: text.trim() } : {});
  };
  return (
    <Stack>
      <Title order={2}>{t("nav.customers")}</Title>
      <form onSubmit={submit} role="search" aria-label={t("customers.searchLabel")}>
        <Group align="flex-end" gap="sm">
          <TextInput
            label={t("customers.search")}
            description={t("customers.searchHint")}
            type="search"
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            maxLength={320}
            w={360}
          />
          <Button type="submit" variant="light">
            {t("customers.searchButton")}
          </Button>
        </Group>
      </form>
      <QueryState
        query={customers}
        lines={6}
        isEmpty={(data) => data.pages.every((page) => page.items.length === 0)}
        empty={q ? t("customers.noneFound", { q }) : t("customers.none")}
      >
        {(data) => (
          <Stack>
            <Table.ScrollContainer minWidth={640}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("customers.name")}</Table.Th>
                    <Table.Th>{t("customers.email")}</Table.Th>
                    <Table.Th ta="right">{t("customers.orders")}</Table.Th>
                    <Table.Th>{t("customers.lastOrder")}</Table.Th>
                    <Table.Th>{t("customers.since")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.pages
                    .flatMap((page) => page.items)
                    .map((customer) => (
                      <Table.Tr key={customer.id} data-customer={customer.email}>
                        <Table.Td>
                          <Group gap="xs">
                            <Anchor component={Link} to={customer.id} fw={600}>
                              {customer.name || t("customers.noName")}
                            </Anchor>
                            {!customer.active && (
                              <ColourBadge colour={TONES.neutral}>
                                {t("customers.inactive")}
                              </ColourBadge>
                            )}
                          </Group>
                        </Table.Td>
                        <Table.Td>{customer.email}</Table.Td>
                        <Table.Td ta="right">{customer.order_count}</Table.Td>
                        <Table.Td>{customer.last_order_at ? <DateTime value={customer.last_order_at} /> : "–"}</Table.Td>
                        <Table.Td>
                          <DateTime value={customer.created_at} dateOnly />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {customers.hasNextPage && (
              <Group>
                <Button variant="light" onClick={() => void customers.fetchNextPage()} loading={customers.isFetchingNextPage}>
                  {t("customers.loadMore")}
                </Button>
              </Group>
            )}
            <Text size="sm" c="dimmed">
              {t("customers.shown", { count: data.pages.reduce((sum, page) => sum + page.items.length, 0) })}
            </Text>
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
