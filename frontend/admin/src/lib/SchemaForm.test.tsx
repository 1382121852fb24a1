import { MantineProvider } from "@mantine/core";
import { render, screen } from "@testing-library/react";
import type { RJSFSchema } from "@rjsf/utils";
import { describe, expect, it } from "vitest";
import { SchemaForm, serverErrorSchema } from "./SchemaForm";

describe("forms from a JSON Schema", () => {
  it("renders a field per property with the server's error beside it", () => {
    const schema: RJSFSchema = { type: "object", properties: { material: { type: "string", title: "Material" } } };
    render(
      <MantineProvider>
        <SchemaForm
          schema={schema}
          value={{ material: "oak" }}
          onChange={() => undefined}
          serverErrors={serverErrorSchema({ "attributes.material": "not one of oak, steel" }, "attributes")}
        />
      </MantineProvider>,
    );
    expect(screen.getByLabelText("Material")).toHaveValue("oak");
    const shown = screen.getAllByText("not one of oak, steel").filter((element) => element.closest("[style*='display: none']") === null);
    expect(shown).toHaveLength(1);
  });

  it("files field errors by their path below the prefix only", () => {
    expect(serverErrorSchema({ "attributes.size.width": "too small", attributes: "bad", name: "x" }, "attributes")).toEqual({
      __errors: ["bad"],
      size: { width: { __errors: ["too small"] } },
    });
  });
});
