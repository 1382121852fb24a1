import { CallbackPage, ProtectedRoute, SignInPage } from "@oms/shared";
import { createBrowserRouter } from "react-router";
import { auditRoutes } from "../features/audit/routes";
import { brandingRoutes } from "../features/branding/routes";
import { catalogueRoutes } from "../features/catalogue/routes";
import { configurationRoutes } from "../features/configuration/routes";
import { customersRoutes } from "../features/customers/routes";
import { dashboardRoutes } from "../features/dashboard/routes";
import { emailTemplatesRoutes } from "../features/emailTemplates/routes";
import { integrationsRoutes } from "../features/integrations/routes";
import { ordersRoutes } from "../features/orders/routes";
import { usersRoutes } from "../features/users/routes";
import { workflowRoutes } from "../features/workflow/routes";
import { guarded } from "./guarded";
import { Layout } from "./Layout";
import { PageLoader } from "./PageLoader";
import { NotFoundPage, RouteError } from "./RouteError";

// Staff reset a forgotten password through the customer app's pages.
const SIGN_IN_LINKS = { forgotPassword: "/forgot-password" };

export const router = createBrowserRouter(
  [
    {
      element: <Layout />,
      errorElement: <RouteError />,
      hydrateFallbackElement: <PageLoader />,
      children: [
        { path: "sign-in", element: <SignInPage links={SIGN_IN_LINKS} /> },
        { path: "auth/callback", Component: CallbackPage },
        {
          element: <ProtectedRoute />,
          children: [
            guarded("dashboard", dashboardRoutes),
            guarded("orders", ordersRoutes),
            guarded("products", catalogueRoutes.products),
            guarded("categories", catalogueRoutes.categories),
            guarded("customers", customersRoutes),
            guarded("workflow", workflowRoutes),
            guarded("integrations", integrationsRoutes.configurations),
            guarded("deliveries", integrationsRoutes.deliveries),
            guarded("emailTemplates", emailTemplatesRoutes),
            guarded("branding", brandingRoutes),
            guarded("users", usersRoutes),
            guarded("audit", auditRoutes),
            guarded("configuration", configurationRoutes),
          ],
        },
        { path: "*", Component: NotFoundPage },
      ],
    },
  ],
  { basename: "/admin" },
);
