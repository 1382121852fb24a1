import { Button, Group, MultiSelect, Select, SimpleGrid, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useCustomerStatuses } from "@oms/shared";
import { type SyntheticEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useCan } from "../../../app/access";
import { useWorkflowStatuses } from "../../../lib/StatusLabel";
import { useCustomer, useCustomerSearch } from "../api";
import { NO_FILTERS, type OrderFilters, searchableText } from "../filters";

function StatusFilter({ value, onChange }: { value: string[]; onChange: (statuses: string[]) => void }) {
  const { t } = useTranslation();
  const canReadWorkflow = useCan("config:read") === true;
  const staff = useWorkflowStatuses(canReadWorkflow);
  const customers = useCustomerStatuses();
  const options = (canReadWorkflow ? staff.data : customers.data)?.map((status) => ({ value: status.code, label: status.name })) ?? [];
  return (
    <MultiSelect
      label={t("orders.filters.statuses")}
      placeholder={value.length ? undefined : t("orders.filters.anyStatus")}
      data={options}
      value={value}
      onChange={onChange}
      clearable
      searchable
      comboboxProps={{ withinPortal: true }}
    />
  );
}

function CustomerFilter({ value, onChange }: { value: string | null; onChange: (customerId: string | null) => void }) {
  const { t } = useTranslation();
  const allowed = useCan("customers:read") === true;
  const [search, setSearch] = useState("");
  const [text] = useDebouncedValue(search, 250);
  const found = useCustomerSearch(text, allowed);
  const chosen = useCustomer(value, allowed);
  if (!allowed) return null;
  const label = (customer: { email: string; name: string }) => (customer.name ? `${customer.name} <${customer.email}>` : customer.email);
  const options = new Map<string, string>();
  if (chosen.data) options.set(chosen.data.id, label(chosen.data));
  for (const customer of found.data?.items ?? []) options.set(customer.id, label(customer));
  return (
    <Select
      label={t("orders.filters.customer")}
      placeholder={t("orders.filters.customerPlaceholder")}
      data={[...options].map(([id, name]) => ({ value: id, label: name }))}
      value={value}
      onChange={onChange}
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={text.trim() ? t("orders.filters.noCustomer") : undefined}
    />
  );
}

/** The table's filters; each change goes to the URL at once, the free text when submitted. */
export function OrderFiltersForm({ filters, onChange }: { filters: OrderFilters; onChange: (filters: OrderFilters) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(filters.q);
  const [shownFor, setShownFor] = useState(filters.q);
  // The URL changed under the field (back, a link, "clear"): show what it says now.
  if (filters.q !== shownFor) {
    setShownFor(filters.q);
    setText(filters.q);
  }
  const tooShort = text.trim() !== "" && !searchableText(text);
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (!tooShort) onChange({ ...filters, q: text.trim() });
  };
  const filtered = JSON.stringify({ ...filters, sort: NO_FILTERS.sort }) !== JSON.stringify(NO_FILTERS);
  return (
    <form onSubmit={submit} role="search" aria-label={t("orders.filters.label")}>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }} spacing="sm">
        <TextInput
          label={t("orders.filters.text")}
          description={t("orders.filters.textHint")}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          onBlur={() => {
            if (!tooShort && text.trim() !== filters.q) onChange({ ...filters, q: text.trim() });
          }}
          error={tooShort ? t("orders.filters.textTooShort") : undefined}
          maxLength={200}
          type="search"
        />
        <StatusFilter value={filters.statuses} onChange={(statuses) => onChange({ ...filters, statuses })} />
        <TextInput
          label={t("orders.filters.from")}
          type="date"
          value={filters.from ?? ""}
          max={filters.to ?? undefined}
          onChange={(event) => onChange({ ...filters, from: event.currentTarget.value || null })}
        />
        <TextInput
          label={t("orders.filters.to")}
          type="date"
          value={filters.to ?? ""}
          min={filters.from ?? undefined}
          onChange={(event) => onChange({ ...filters, to: event.currentTarget.value || null })}
        />
        <CustomerFilter value={filters.customerId} onChange={(customerId) => onChange({ ...filters, customerId })} />
      </SimpleGrid>
      <Group mt="sm" gap="sm">
        <Button type="submit" variant="light" disabled={tooShort}>
          {t("orders.filters.search")}
        </Button>
        {filtered && (
          <Button variant="subtle" onClick={() => onChange({ ...NO_FILTERS, sort: filters.sort })}>
            {t("orders.filters.clear")}
          </Button>
        )}
      </Group>
    </form>
  );
}
