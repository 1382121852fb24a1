import { CallbackPage, ProtectedRoute, SignInPage } from "@oms/shared";
import { createBrowserRouter } from "react-router";
import { Layout } from "./Layout";
import { PageLoader } from "./PageLoader";
import { NotFoundPage, RouteError } from "./RouteError";

// Each page is its own chunk, loaded on first visit.
export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <RouteError />,
    hydrateFallbackElement: <PageLoader />,
    children: [
      { path: "sign-in", element: <SignInPage links={{ forgotPassword: "/forgot-password", signUp: "/sign-up" }} /> },
      { path: "sign-up", lazy: async () => ({ Component: (await import("../features/auth/components/SignUpPage")).SignUpPage }) },
      {
        path: "forgot-password",
        lazy: async () => ({ Component: (await import("../features/auth/components/ForgotPasswordPage")).ForgotPasswordPage }),
      },
      {
        path: "reset-password",
        lazy: async () => ({ Component: (await import("../features/auth/components/ResetPasswordPage")).ResetPasswordPage }),
      },
      { path: "auth/callback", Component: CallbackPage },
      {
        element: <ProtectedRoute />,
        children: [
          { index: true, lazy: async () => ({ Component: (await import("../features/catalogue/components/CataloguePage")).CataloguePage }) },
          {
            path: "c/:categoryCode",
            lazy: async () => ({ Component: (await import("../features/catalogue/components/CataloguePage")).CataloguePage }),
          },
          {
            path: "p/:productId",
            lazy: async () => ({ Component: (await import("../features/catalogue/components/ProductPage")).ProductPage }),
          },
          { path: "cart", lazy: async () => ({ Component: (await import("../features/cart/components/CartPage")).CartPage }) },
          {
            path: "checkout",
            lazy: async () => ({ Component: (await import("../features/cart/components/CheckoutPage")).CheckoutPage }),
          },
          { path: "orders", lazy: async () => ({ Component: (await import("../features/orders/components/OrdersPage")).OrdersPage }) },
          {
            path: "orders/:orderId",
            lazy: async () => ({ Component: (await import("../features/orders/components/OrderPage")).OrderPage }),
          },
          { path: "account", lazy: async () => ({ Component: (await import("../features/account/components/AccountPage")).AccountPage }) },
        ],
      },
      { path: "*", Component: NotFoundPage },
    ],
  },
]);
