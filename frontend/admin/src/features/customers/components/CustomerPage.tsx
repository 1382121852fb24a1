import { Anchor, Button, Card, Grid, Group, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { ColourBadge, DateTime, Money, QueryState, useDocumentTitle } from "@oms/shared";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { AddressBlock } from "../../../lib/AddressBlock";
import { StatusLabel } from "../../../lib/StatusLabel";
import { type Customer, useCustomer, useCustomerOrders } from "../api";
import { TONES } from "../../../lib/tones";

function Orders({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const orders = useCustomerOrders(customerId);
  return (
    <section aria-labelledby="customer-orders-title">
      <Title order={3} size="h4" id="customer-orders-title" mb="sm">
        {t("customers.ordersTitle")}
      </Title>
      <QueryState query={orders} isEmpty={(data) => data.pages.every((page) => page.items.length === 0)} empty={t("customers.noOrders")}>
        {(data) => (
          <Stack>
            <Table.ScrollContainer minWidth={520}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("customers.order")}</Table.Th>
                    <Table.Th>{t("customers.placed")}</Table.Th>
                    <Table.Th>{t("customers.status")}</Table.Th>
                    <Table.Th ta="right">{t("customers.total")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.pages
                    .flatMap((page) => page.items)
                    .map((order) => (
                      <Table.Tr key={order.id}>
                        <Table.Td>
                          <Anchor component={Link} to={`/orders/${order.id}`} fw={600}>
                            {order.number}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          <DateTime value={order.created_at} />
                        </Table.Td>
                        <Table.Td>
                          <StatusLabel code={order.status} />
                        </Table.Td>
                        <Table.Td ta="right">
                          <Money amount={order.total} currency={order.currency} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {orders.hasNextPage && (
              <Group>
                <Button variant="light" onClick={() => void orders.fetchNextPage()} loading={orders.isFetchingNextPage}>
                  {t("customers.loadMore")}
                </Button>
              </Group>
            )}
          </Stack>
        )}
      </QueryState>
    </section>
  );
}

function Profile({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const title = customer.name || customer.email;
  useDocumentTitle(title);
  return (
    <Stack>
      <Anchor component={Link} to=".." relative="path" size="sm">
        {t("customers.back")}
      </Anchor>
      <Group gap="sm">
        <Title order={2}>{title}</Title>
        <ColourBadge colour={customer.active ? TONES.good : TONES.neutral}>
          {customer.active ? t("customers.active") : t("customers.inactive")}
        </ColourBadge>
      </Group>
      <Grid gutter="xl">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack>
            <Card withBorder component="section" aria-labelledby="profile-title">
              <Title order={3} size="h4" id="profile-title" mb="xs">
                {t("customers.profile")}
              </Title>
              <Stack gap={4}>
                <Text size="sm">
                  {t("customers.email")}: {customer.email}
                </Text>
                <Text size="sm">
                  {t("customers.since")}: <DateTime value={customer.created_at} dateOnly />
                </Text>
                <Text size="sm">
                  {t("customers.orders")}: {customer.order_count}
                </Text>
                <Text size="sm">
                  {t("customers.lastOrder")}: {customer.last_order_at ? <DateTime value={customer.last_order_at} /> : "–"}
                </Text>
              </Stack>
            </Card>
            <section aria-labelledby="addresses-title">
              <Title order={3} size="h4" id="addresses-title" mb="xs">
                {t("customers.addresses")}
              </Title>
              {customer.addresses.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t("customers.noAddresses")}
                </Text>
              ) : (
                <SimpleGrid cols={1} spacing="sm">
                  {customer.addresses.map((address) => (
                    <Card withBorder key={address.id} padding="sm">
                      <Group gap="xs" mb={4}>
                        <Text fw={600} size="sm">
                          {address.label ?? t("customers.address")}
                        </Text>
                        {address.is_default && (
                          <ColourBadge size="sm" colour={TONES.info}>
                            {t("customers.default")}
                          </ColourBadge>
                        )}
                      </Group>
                      <AddressBlock address={address} />
                    </Card>
                  ))}
                </SimpleGrid>
              )}
            </section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Orders customerId={customer.id} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

export function CustomerPage() {
  const { customerId = "" } = useParams();
  const customer = useCustomer(customerId);
  return (
    <QueryState query={customer} lines={6}>
      {(data) => <Profile customer={data} />}
    </QueryState>
  );
}
