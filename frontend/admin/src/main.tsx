import "@mantine/core/styles.css";
import "@mantine/charts/styles.css";
import "@mantine/notifications/styles.css";
import { createServices } from "@oms/shared";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { i18n } from "./app/i18n";

const root = createRoot(document.getElementById("root") as HTMLElement);

createServices("admin", "/admin/")
  .then((services) => {
    root.render(
      <StrictMode>
        {/* One element for the app, ahead of the <style> tags Mantine renders. */}
        <div id="app">
          <App services={services} i18n={i18n} />
        </div>
      </StrictMode>,
    );
  })
  .catch(() => {
    root.render(<p role="alert">{i18n.t("startupFailed")}</p>);
  });
