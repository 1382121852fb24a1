import type { StatusCreate, StatusRead, StatusUpdate } from "./api";

/** What the status form edits: every field as a form control holds it. */
export interface StatusValues {
  code: string;
  name: string;
  customer_name: string;
  customer_description: string;
  colour: string;
  is_initial: boolean;
  is_terminal: boolean;
  releases_stock: boolean;
  position: number | "";
}

export const NEW_STATUS: StatusValues = {
  code: "",
  name: "",
  customer_name: "",
  customer_description: "",
  colour: "#64748b",
  is_initial: false,
  is_terminal: false,
  releases_stock: false,
  position: "",
};

export function statusValues(status: StatusRead): StatusValues {
  return {
    code: status.code,
    name: status.name,
    customer_name: status.customer_name ?? "",
    customer_description: status.customer_description ?? "",
    colour: status.colour,
    is_initial: status.is_initial,
    is_terminal: status.is_terminal,
    releases_stock: status.releases_stock,
    position: status.position,
  };
}

function optional(text: string): string | null {
  return text.trim() === "" ? null : text.trim();
}

export function statusCreate(values: StatusValues): StatusCreate {
  return {
    code: values.code.trim(),
    name: values.name.trim(),
    customer_name: optional(values.customer_name),
    customer_description: optional(values.customer_description),
    colour: values.colour,
    is_initial: values.is_initial,
    is_terminal: values.is_terminal,
    releases_stock: values.releases_stock,
    position: values.position === "" ? null : values.position,
  };
}

/** Only what the user changed (a PATCH leaves the rest as it is); an emptied customer name
 * or description is sent as null, which clears it. */
export function statusChanges(before: StatusRead, values: StatusValues): StatusUpdate {
  const after = statusCreate(values);
  const changes: StatusUpdate = {};
  if (after.code !== before.code) changes.code = after.code;
  if (after.name !== before.name) changes.name = after.name;
  if (after.customer_name !== before.customer_name) changes.customer_name = after.customer_name;
  if (after.customer_description !== before.customer_description) changes.customer_description = after.customer_description;
  if (after.colour.toLowerCase() !== before.colour.toLowerCase()) changes.colour = after.colour;
  if (after.is_initial !== before.is_initial) changes.is_initial = after.is_initial;
  if (after.is_terminal !== before.is_terminal) changes.is_terminal = after.is_terminal;
  if (after.releases_stock !== before.releases_stock) changes.releases_stock = after.releases_stock;
  if (after.position !== null && after.position !== before.position) changes.position = after.position;
  return changes;
}
