import { Button, Group, MultiSelect, NumberInput, Stack, Switch, Text, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { FilterControl, FilterValues } from "../filters";

type Range = { min?: number; max?: number };

function asRange(value: unknown): Range {
  return value && typeof value === "object" && !Array.isArray(value) ? value : {};
}

function numberOrUndefined(value: string | number): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** One control per attribute of the category's schema. */
export function AttributeFilters({
  controls,
  values,
  onChange,
}: {
  controls: FilterControl[];
  values: FilterValues;
  onChange: (values: FilterValues) => void;
}) {
  const { t } = useTranslation();
  if (!controls.length) return null;
  const set = (name: string, value: FilterValues[string]) => onChange({ ...values, [name]: value });
  return (
    <Stack gap="sm" component="section" aria-label={t("catalogue.filters")}>
      <Group justify="space-between">
        <Text fw={700}>{t("catalogue.filters")}</Text>
        <Button variant="subtle" size="xs" onClick={() => onChange({})}>
          {t("catalogue.clearFilters")}
        </Button>
      </Group>
      {controls.map((control) => {
        const value = values[control.name];
        switch (control.kind) {
          case "enum":
            return (
              <MultiSelect
                key={control.name}
                label={control.label}
                data={control.options.map(String)}
                value={Array.isArray(value) ? value : []}
                onChange={(chosen) => set(control.name, chosen)}
                clearable
                searchable
              />
            );
          case "boolean":
            return (
              <Switch
                key={control.name}
                label={control.label}
                checked={value === true}
                onChange={(event) => set(control.name, event.currentTarget.checked)}
              />
            );
          case "range": {
            const range = asRange(value);
            return (
              <Group key={control.name} grow align="flex-end" wrap="nowrap">
                <NumberInput
                  label={t("catalogue.min", { name: control.label })}
                  value={range.min ?? ""}
                  min={control.min}
                  max={control.max}
                  allowDecimal={!control.integer}
                  onChange={(next) => set(control.name, { ...range, min: numberOrUndefined(next) })}
                />
                <NumberInput
                  label={t("catalogue.max", { name: control.label })}
                  value={range.max ?? ""}
                  min={control.min}
                  max={control.max}
                  allowDecimal={!control.integer}
                  onChange={(next) => set(control.name, { ...range, max: numberOrUndefined(next) })}
                />
              </Group>
            );
          }
          case "text":
            return (
              <TextInput
                key={control.name}
                label={control.label}
                value={typeof value === "string" ? value : ""}
                onChange={(event) => set(control.name, event.currentTarget.value)}
              />
            );
        }
      })}
    </Stack>
  );
}
