// Generated from the OMS OpenAPI document by `npm run generate`; do not edit.

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Health */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Liveness */
        get: operations["getLiveness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Jwks
         * @description The public keys that verify OMS's access tokens.
         */
        get: operations["getJwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign In
         * @description Sign in with email and password: an access token and a refresh token.
         */
        post: operations["signIn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Refresh Tokens
         * @description Trade a refresh token for new tokens; the presented one cannot be used again.
         */
        post: operations["refreshTokens"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign Out
         * @description End the sign-in the refresh token belongs to (its access tokens expire on their own).
         */
        post: operations["signOut"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register Customer
         * @description Sign up as a customer (when the installation allows it).
         */
        post: operations["registerCustomer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/client-config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Client Config
         * @description How a browser app signs users in here (both modes): OMS's own forms, or the OpenID
         *     provider's pages with the app's public client.
         */
        get: operations["getClientConfig"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create Browser Session
         * @description Sign in from a browser: the access token in the answer, the refresh token in the
         *     HttpOnly `oms_refresh` cookie, and the `oms_csrf` cookie to echo in `X-CSRF-Token`.
         */
        post: operations["createBrowserSession"];
        /**
         * End Browser Session
         * @description Sign out in the browser: the refresh token is revoked and both cookies cleared
         *     (without a refresh cookie there is nothing to revoke, and the answer is 204 alike).
         */
        delete: operations["endBrowserSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/session/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Refresh Browser Session
         * @description A new access token for the browser's session; both cookies are replaced, and the
         *     refresh token presented cannot be used again.
         */
        post: operations["refreshBrowserSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Request Password Reset
         * @description Mail a link to set a new password. The answer is the same whether or not the address
         *     belongs to an active account.
         */
        post: operations["requestPasswordReset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password-reset/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm Password Reset
         * @description Set a new password with a reset link's token; every sign-in of the account ends.
         */
        post: operations["confirmPasswordReset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Users
         * @description Oldest first (by creation time, then id).
         */
        get: operations["listUsers"];
        put?: never;
        /**
         * Create User
         * @description Create a user with any roles (staff, usually).
         */
        post: operations["createUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get User */
        get: operations["getUser"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Update User
         * @description Change name, roles, active flag or password. Deactivating ends the user's sign-ins at
         *     once; OMS keeps at least one active admin (409 otherwise).
         */
        patch: operations["updateUser"];
        trace?: never;
    };
    "/api/v1/users/{user_id}/unlock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Unlock User Sign In
         * @description Lift the pause that failed sign-ins put on this user's account, from every address.
         */
        post: operations["unlockUserSignIn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get My Profile */
        get: operations["getMyProfile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Update My Profile */
        patch: operations["updateMyProfile"];
        trace?: never;
    };
    "/api/v1/branding": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Branding
         * @description Public. Revalidate with If-None-Match: the answer is 304 while nothing changed.
         */
        get: operations["getBranding"];
        /** Replace Branding */
        put: operations["replaceBranding"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/branding/{image}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Upload Branding Image
         * @description The image's bytes as the body, its type as Content-Type.
         */
        put: operations["uploadBrandingImage"];
        post?: never;
        /** Remove Branding Image */
        delete: operations["removeBrandingImage"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/branding/assets/{digest}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Branding Asset */
        get: operations["getBrandingAsset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/categories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Categories */
        get: operations["listCategories"];
        put?: never;
        /** Create Category */
        post: operations["createCategory"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/categories/{category_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Category */
        get: operations["getCategory"];
        put?: never;
        post?: never;
        /** Delete Category */
        delete: operations["deleteCategory"];
        options?: never;
        head?: never;
        /** Update Category */
        patch: operations["updateCategory"];
        trace?: never;
    };
    "/api/v1/categories/{category_id}/schema-check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check Category Schema
         * @description Which products of the category the proposed `attribute_schema` would refuse, changing
         *     nothing: what `PATCH /categories/{category_id}` with it would meet. A schema the update
         *     would refuse itself (not a JSON Schema 2020-12, a `$ref` that does not resolve, too
         *     large) is answered here with `valid_schema: false` and `schema_errors`, not a 400.
         */
        post: operations["checkCategorySchema"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Products
         * @description Products ordered by SKU. Customers see active products only. `attr.<name>=<value>` filters on attributes (repeatable; a repeated name matches any of its values; `attr.a.b` reaches nested objects). A value that reads as a number, `true`, `false` or `null` matches that JSON value or the same text as a string; any other value matches a string. `attributes` is a JSON object checked against the schema of `category` (which it needs): `{"color": "red"}` an exact value, `{"material": ["oak", "pine"]}` any of them, `{"width_cm": {"min": 40, "max": 90}}` a range of a number attribute.
         */
        get: operations["listProducts"];
        put?: never;
        /** Create Product */
        post: operations["createProduct"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/products/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import Products
         * @description Create or change products from CSV rows, matched by SKU ignoring case. Each row is
         *     checked as `POST /products` or `PATCH /products/{id}` would check it and written on its
         *     own: the valid ones are written, the others reported with their errors.
         */
        post: operations["importProducts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/products/{product_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Product */
        get: operations["getProduct"];
        put?: never;
        post?: never;
        /**
         * Archive Product
         * @description Archives the product (`active: false`); it is kept for the orders that refer to it. `PATCH {"active": true}` sells it again.
         */
        delete: operations["archiveProduct"];
        options?: never;
        head?: never;
        /** Update Product */
        patch: operations["updateProduct"];
        trace?: never;
    };
    "/api/v1/products/{product_id}/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add Product Image
         * @description The image's bytes as the body, its type as Content-Type; it goes after the product's
         *     other images. Answers the product; `Location` is the new image's URL.
         */
        post: operations["addProductImage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/products/{product_id}/images/{image_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove Product Image
         * @description Answers the product without the image.
         */
        delete: operations["removeProductImage"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/product-images/{digest}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Product Image
         * @description Public, like the shop's logo: the URL is the bytes' digest, so it never changes.
         */
        get: operations["getProductImage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/worker-configurations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Worker Configurations
         * @description By worker type, then name, then id.
         */
        get: operations["listWorkerConfigurations"];
        put?: never;
        /** Create Worker Configuration */
        post: operations["createWorkerConfiguration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/worker-configurations/{configuration_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Worker Configuration */
        get: operations["getWorkerConfiguration"];
        put?: never;
        post?: never;
        /** Delete Worker Configuration */
        delete: operations["deleteWorkerConfiguration"];
        options?: never;
        head?: never;
        /** Update Worker Configuration */
        patch: operations["updateWorkerConfiguration"];
        trace?: never;
    };
    "/api/v1/worker-configurations/{configuration_id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Fire Test Event */
        post: operations["fireTestEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Deliveries */
        get: operations["listDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deliveries/{delivery_id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replay Delivery */
        post: operations["replayDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sent-emails": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Sent Emails
         * @description Mail kept by the development sink (no OMS_SMTP_URL), newest first.
         */
        get: operations["listSentEmails"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/email-templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Email Templates
         * @description Every template: the shipped defaults and the edited ones, by key.
         */
        get: operations["listEmailTemplates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/email-templates/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Email Template */
        get: operations["getEmailTemplate"];
        /**
         * Put Email Template
         * @description Create or replace the edited template: it overrides a shipped one of its key.
         */
        put: operations["putEmailTemplate"];
        post?: never;
        /**
         * Reset Email Template
         * @description Forget the edits: a shipped template of this key is used again.
         */
        delete: operations["resetEmailTemplate"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/email-templates/{key}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Preview Email Template
         * @description Render the template, or a draft of it, against a sample order and the branding.
         */
        post: operations["previewEmailTemplate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/email-templates/{key}/branding-preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Preview Email With Branding
         * @description Render the template as it is against a sample order, with a draft of the branding
         *     (the saved logo and favicon): how its emails will look once the draft is saved.
         */
        post: operations["previewEmailWithBranding"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflow/customer-statuses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Customer Statuses
         * @description Every status as customers see it (public: the shop's apps show it to anyone).
         */
        get: operations["listCustomerStatuses"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflow/graph": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Workflow Graph
         * @description Statuses and transitions as one graph, with what is wrong with it flagged.
         */
        get: operations["getWorkflowGraph"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflow/statuses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Workflow Statuses */
        get: operations["listWorkflowStatuses"];
        put?: never;
        /** Create Workflow Status */
        post: operations["createWorkflowStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflow/statuses/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Workflow Status */
        get: operations["getWorkflowStatus"];
        put?: never;
        post?: never;
        /** Delete Workflow Status */
        delete: operations["deleteWorkflowStatus"];
        options?: never;
        head?: never;
        /** Update Workflow Status */
        patch: operations["updateWorkflowStatus"];
        trace?: never;
    };
    "/api/v1/workflow/transitions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Workflow Transitions */
        get: operations["listWorkflowTransitions"];
        put?: never;
        /** Create Workflow Transition */
        post: operations["createWorkflowTransition"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflow/transitions/{transition_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Workflow Transition */
        get: operations["getWorkflowTransition"];
        put?: never;
        post?: never;
        /** Delete Workflow Transition */
        delete: operations["deleteWorkflowTransition"];
        options?: never;
        head?: never;
        /** Update Workflow Transition */
        patch: operations["updateWorkflowTransition"];
        trace?: never;
    };
    "/api/v1/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Orders
         * @description Newest first unless `sort` says otherwise. Customers see their own orders only.
         */
        get: operations["listOrders"];
        put?: never;
        /** Create Order */
        post: operations["createOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/quote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Quote Order
         * @description Prices the items as placing the order would, against the stock as it is now, and
         *     reserves nothing. Short stock is no error here: the line says `in_stock: false` and
         *     `problems` says why placing it now would fail.
         */
        post: operations["quoteOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/export.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export Orders
         * @description Every order the same filters select, in the same order as the listing, as CSV,
         *     streamed in batches.
         */
        get: operations["exportOrders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/bulk-status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Bulk Change Order Status
         * @description Moves each order to `to_status` as `PATCH /orders/{id}/status` would (the workflow's
         *     rules for the caller's roles, stock, history, audit, one event each), each on its own: a
         *     refused or unknown order is reported in its result with the problem the single change
         *     would answer, and the others are moved all the same.
         */
        post: operations["bulkChangeOrderStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Follow Order Events
         * @description Live order events: customers get their own orders' only, staff everyone's. The stream
         *     ends when the server shuts down; reconnect with `Last-Event-ID` to miss nothing.
         */
        get: operations["followOrderEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{order_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Order */
        get: operations["getOrder"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{order_id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change Order Status */
        patch: operations["changeOrderStatus"];
        trace?: never;
    };
    "/api/v1/orders/{order_id}/transitions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Order Transitions */
        get: operations["listOrderTransitions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{order_id}/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Order Notes
         * @description Staff's internal notes on the order, newest first. Customers never see them.
         */
        get: operations["listOrderNotes"];
        put?: never;
        /**
         * Add Order Note
         * @description Adds an internal note to the order, by the caller; the text is audited.
         */
        post: operations["addOrderNote"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{order_id}/notes/{note_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Order Note */
        get: operations["getOrderNote"];
        put?: never;
        post?: never;
        /**
         * Delete Order Note
         * @description Deletes the note: its author may, and admins (`orders:notes-delete-any`).
         */
        delete: operations["deleteOrderNote"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/addresses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Saved Addresses
         * @description The caller's saved shipping addresses, oldest first.
         */
        get: operations["listSavedAddresses"];
        put?: never;
        /**
         * Create Saved Address
         * @description Checked like an order's shipping address. `is_default: true` makes it the default.
         */
        post: operations["createSavedAddress"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/addresses/{address_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Saved Address */
        get: operations["getSavedAddress"];
        put?: never;
        post?: never;
        /** Delete Saved Address */
        delete: operations["deleteSavedAddress"];
        options?: never;
        head?: never;
        /** Update Saved Address */
        patch: operations["updateSavedAddress"];
        trace?: never;
    };
    "/api/v1/customers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Customers
         * @description The users with the customer role, oldest first (by creation time, then id), each with
         *     how many orders they have and when they placed the latest.
         */
        get: operations["listCustomers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customers/{customer_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Customer
         * @description The customer, their order figures and their saved shipping addresses.
         */
        get: operations["getCustomer"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Audit Entries
         * @description Every recorded change, newest first (by time, then id).
         */
        get: operations["listAuditEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/export.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export Audit Entries
         * @description The entries the same filters select, as CSV, streamed in batches.
         */
        get: operations["exportAuditEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export Configuration
         * @description The whole white-label configuration; secrets as `${ENV_VAR}` references, images as
         *     URLs of OMS's own assets.
         */
        get: operations["exportConfiguration"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import Configuration
         * @description Make OMS's configuration what the document says, in one transaction: what it leaves
         *     out is removed. Importing the same document again changes nothing.
         */
        post: operations["importConfiguration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stats/dashboard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Dashboard
         * @description Orders and revenue today, this week and per day over the last 30 days, orders per
         *     status, the outbox backlog and the latest failed deliveries (staff only).
         */
        get: operations["getDashboard"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** Actor */
        Actor: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Email */
            email: string;
        };
        /** AttributeProblem */
        AttributeProblem: {
            /**
             * Path
             * @description The attribute at fault: `attributes.width_cm`.
             */
            path: string;
            /** Message */
            message: string;
        };
        /**
         * AuditEntryRead
         * @example {
         *       "action": "status.updated",
         *       "actor_email": "admin@example.com",
         *       "actor_id": "0f8e2c4a-5b6d-4e7f-8a9b-0c1d2e3f4a5b",
         *       "actor_roles": [
         *         "admin"
         *       ],
         *       "address": "203.0.113.7",
         *       "after": {
         *         "colour": "#2da44e"
         *       },
         *       "at": "2026-12-10T09:30:00Z",
         *       "before": {
         *         "colour": "#1f6feb"
         *       },
         *       "entity": "status",
         *       "entity_id": "shipped",
         *       "id": 42,
         *       "origin": "api",
         *       "request_id": "5d0c1e8f3b2a4c6d"
         *     }
         */
        AuditEntryRead: {
            /** Id */
            id: number;
            /**
             * At
             * Format: date-time
             */
            at: string;
            /**
             * Origin
             * @enum {string}
             */
            origin: "api" | "cli" | "system";
            /** Actor Id */
            actor_id: string | null;
            /** Actor Email */
            actor_email: string | null;
            /** Actor Roles */
            actor_roles: string[];
            /** Address */
            address: string | null;
            /** Request Id */
            request_id: string | null;
            /** Action */
            action: string;
            /** Entity */
            entity: string;
            /** Entity Id */
            entity_id: string;
            /** Before */
            before: {
                [key: string]: unknown;
            } | null;
            /** After */
            after: {
                [key: string]: unknown;
            } | null;
        };
        /** BrandingRead */
        BrandingRead: {
            /** Shop Name */
            shop_name: string;
            /** Primary Colour */
            primary_colour: string;
            /** Accent Colour */
            accent_colour: string;
            /** Support Email */
            support_email: string | null;
            /** Currency */
            currency: string;
            /** Locale */
            locale: string;
            /** Footer Text */
            footer_text: string | null;
            /** Legal Links */
            legal_links: components["schemas"]["LegalLink"][];
            /**
             * Logo Url
             * @description Served by OMS; the URL changes with the image.
             */
            logo_url: string | null;
            /** Favicon Url */
            favicon_url: string | null;
            /** Version */
            version: number;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /**
         * BrandingSection
         * @example {
         *       "accent_colour": "#f39c12",
         *       "currency": "EUR",
         *       "footer_text": "Kettle & Co GmbH, Hauptstr. 1, 10115 Berlin",
         *       "legal_links": [
         *         {
         *           "label": "Impressum",
         *           "url": "https://kettle.example/imp"
         *         }
         *       ],
         *       "locale": "de-DE",
         *       "primary_colour": "#1f4e79",
         *       "shop_name": "Kettle & Co",
         *       "support_email": "help@kettle.example"
         *     }
         */
        BrandingSection: {
            /** Shop Name */
            shop_name: string;
            /**
             * Primary Colour
             * @example #1f4e79
             */
            primary_colour: string;
            /**
             * Accent Colour
             * @example #1f4e79
             */
            accent_colour: string;
            /** Support Email */
            support_email?: string | null;
            /**
             * Currency
             * @description ISO 4217.
             * @example EUR
             */
            currency: string;
            /**
             * Locale
             * @description A BCP 47 language tag, e.g. `en`, `de-DE`.
             * @example de-DE
             */
            locale: string;
            /** Footer Text */
            footer_text?: string | null;
            /**
             * Legal Links
             * @default []
             */
            legal_links: components["schemas"]["LegalLink"][];
            logo?: components["schemas"]["ImageSource"] | null;
            favicon?: components["schemas"]["ImageSource"] | null;
        };
        /**
         * BrandingWrite
         * @description The whole branding; a PUT replaces it (the logo and favicon are uploaded apart).
         * @example {
         *       "accent_colour": "#f39c12",
         *       "currency": "EUR",
         *       "footer_text": "Kettle & Co GmbH, Hauptstr. 1, 10115 Berlin",
         *       "legal_links": [
         *         {
         *           "label": "Impressum",
         *           "url": "https://kettle.example/imp"
         *         }
         *       ],
         *       "locale": "de-DE",
         *       "primary_colour": "#1f4e79",
         *       "shop_name": "Kettle & Co",
         *       "support_email": "help@kettle.example"
         *     }
         */
        BrandingWrite: {
            /** Shop Name */
            shop_name: string;
            /**
             * Primary Colour
             * @example #1f4e79
             */
            primary_colour: string;
            /**
             * Accent Colour
             * @example #1f4e79
             */
            accent_colour: string;
            /** Support Email */
            support_email?: string | null;
            /**
             * Currency
             * @description ISO 4217.
             * @example EUR
             */
            currency: string;
            /**
             * Locale
             * @description A BCP 47 language tag, e.g. `en`, `de-DE`.
             * @example de-DE
             */
            locale: string;
            /** Footer Text */
            footer_text?: string | null;
            /**
             * Legal Links
             * @default []
             */
            legal_links: components["schemas"]["LegalLink"][];
        };
        /** BrokenProduct */
        BrokenProduct: {
            /**
             * Product Id
             * Format: uuid
             */
            product_id: string;
            /** Sku */
            sku: string;
            /** Name */
            name: string;
            /** Errors */
            errors: components["schemas"]["AttributeProblem"][];
        };
        /**
         * BulkStatusChange
         * @description Move each of these orders to one status, each as `PATCH /orders/{id}/status` would.
         * @example {
         *       "note": "Paid by bank transfer.",
         *       "order_ids": [
         *         "0b7e1c2a-5f7d-4c1e-9a51-3d2f6f0e8a11",
         *         "7c9e6679-7425-40de-944b-e07fc1f90ae7"
         *       ],
         *       "to_status": "confirmed"
         *     }
         */
        BulkStatusChange: {
            /**
             * Order Ids
             * @description 1 to 200 orders, each named once.
             */
            order_ids: string[];
            /** To Status */
            to_status: string;
            /** Note */
            note?: string | null;
        };
        /**
         * BulkStatusResult
         * @description What became of one order: moved (`ok`, its new `status`) or refused (`problem`, as
         *     the single change would have answered it).
         */
        BulkStatusResult: {
            /**
             * Order Id
             * Format: uuid
             */
            order_id: string;
            /**
             * Number
             * @description Null when there is no such order.
             */
            number: string | null;
            /** Ok */
            ok: boolean;
            /**
             * Status
             * @description The order's status now; null when refused.
             */
            status: string | null;
            /** @description Why the order was not moved; null when it was. */
            problem: components["schemas"]["Problem"] | null;
        };
        /**
         * BulkStatusResults
         * @description One result per order, in the order the request named them.
         */
        BulkStatusResults: {
            /** Results */
            results: components["schemas"]["BulkStatusResult"][];
        };
        /** CategoryCreate */
        CategoryCreate: {
            /**
             * Code
             * @description Lower-case slug: letters, digits and single hyphens.
             * @example chairs
             */
            code: string;
            /** Name */
            name: string;
            /**
             * Attribute Schema
             * @description JSON Schema (2020-12) the attributes of the category's products satisfy.
             */
            attribute_schema?: {
                [key: string]: unknown;
            };
        };
        /** CategoryEntry */
        CategoryEntry: {
            /**
             * Code
             * @description Lower-case slug: letters, digits and single hyphens.
             * @example chairs
             */
            code: string;
            /** Name */
            name: string;
            /**
             * Attribute Schema
             * @description JSON Schema (2020-12) of its products' attributes.
             */
            attribute_schema?: {
                [key: string]: unknown;
            };
        };
        /** CategoryRead */
        CategoryRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Code */
            code: string;
            /** Name */
            name: string;
            /** Attribute Schema */
            attribute_schema: {
                [key: string]: unknown;
            };
            /**
             * Version
             * @description One more with every change; `PATCH` takes it as `If-Match`.
             */
            version: number;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /** CategoryUpdate */
        CategoryUpdate: {
            /**
             * Code
             * @description Lower-case slug: letters, digits and single hyphens.
             * @example chairs
             */
            code?: string;
            /** Name */
            name?: string;
            /**
             * Attribute Schema
             * @description JSON Schema (2020-12) the attributes of the category's products satisfy.
             */
            attribute_schema?: {
                [key: string]: unknown;
            };
        };
        /** ChangeRead */
        ChangeRead: {
            /**
             * Op
             * @enum {string}
             */
            op: "add" | "remove" | "change";
            /**
             * Path
             * @description What changes: `statuses.shipped.customer_name`, `transitions.new -> cancelled`, `worker_configurations.webhook 'ERP'.settings.url`.
             * @example statuses.shipped.customer_name
             */
            path: string;
            /**
             * Before
             * @description The value now (`null` for an addition).
             */
            before?: unknown;
            /**
             * After
             * @description The value after (`null` for a removal).
             */
            after?: unknown;
            /**
             * Line
             * @description The change as the CLI prints it.
             * @example ~ status shipped: customer_name "Shipped" -> "On its way"
             */
            line: string;
        };
        /**
         * ClientConfig
         * @description What a browser app needs to know before it signs anyone in.
         * @example {
         *       "mode": "local",
         *       "password_reset_enabled": true,
         *       "registration_enabled": true
         *     }
         * @example {
         *       "mode": "oidc",
         *       "oidc": {
         *         "client_id": "oms-customer",
         *         "issuer": "https://sso.example.com/realms/oms",
         *         "scope": "openid profile email"
         *       },
         *       "password_reset_enabled": false,
         *       "registration_enabled": false
         *     }
         */
        ClientConfig: {
            /**
             * Mode
             * @enum {string}
             */
            mode: "local" | "oidc";
            /**
             * Registration Enabled
             * @description `POST /auth/register` is open.
             */
            registration_enabled: boolean;
            /**
             * Password Reset Enabled
             * @description `POST /auth/password-reset` is open.
             */
            password_reset_enabled: boolean;
            /** @description Set in `oidc` mode only. */
            oidc?: components["schemas"]["OidcClientConfig"] | null;
        };
        /**
         * OMS configuration
         * @description The whole white-label configuration of one OMS.
         */
        ConfigDocument: {
            /**
             * Version
             * @description The document format's version.
             * @constant
             */
            version: 1;
            branding: components["schemas"]["BrandingSection"];
            /** Statuses */
            statuses: components["schemas"]["StatusEntry"][];
            /** Transitions */
            transitions: components["schemas"]["TransitionEntry"][];
            /** Categories */
            categories: components["schemas"]["CategoryEntry"][];
            /** Worker Configurations */
            worker_configurations: (components["schemas"]["EmailWorker"] | components["schemas"]["WebhookWorker"] | components["schemas"]["InventoryWorker"])[];
            /** Email Templates */
            email_templates: components["schemas"]["EmailTemplateEntry"][];
        };
        /**
         * Credentials
         * @example {
         *       "email": "cora@example.com",
         *       "password": "correct horse battery staple"
         *     }
         */
        Credentials: {
            /** Email */
            email: string;
            /** Password */
            password: string;
        };
        /**
         * CustomerRead
         * @description A customer with their saved shipping addresses; their orders are
         *     `GET /orders?customer_id=`.
         * @example {
         *       "active": true,
         *       "addresses": [
         *         {
         *           "city": "Berlin",
         *           "country": "DE",
         *           "created_at": "2025-03-14T09:20:00Z",
         *           "id": "5d2e8f1a-3b4c-4d6e-9f0a-1b2c3d4e5f60",
         *           "is_default": true,
         *           "label": "Home",
         *           "line1": "Hauptstraße 5",
         *           "name": "Cora Customer",
         *           "phone": "+49 30 1234567",
         *           "postal_code": "10115",
         *           "updated_at": "2025-03-14T09:20:00Z",
         *           "version": 0
         *         }
         *       ],
         *       "created_at": "2025-02-01T10:00:00Z",
         *       "email": "cora@example.com",
         *       "id": "6c1f2d9e-8a4b-4f0e-b3a7-2e5d9c8f1a04",
         *       "last_order_at": "2025-03-14T09:26:53Z",
         *       "name": "Cora Customer",
         *       "order_count": 3
         *     }
         */
        CustomerRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Email */
            email: string;
            /**
             * Name
             * @description The user's full name; empty when they gave none.
             */
            name: string;
            /**
             * Active
             * @description False once deactivated: they can no longer sign in.
             */
            active: boolean;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Order Count
             * @description Orders placed for them, in any status.
             */
            order_count: number;
            /**
             * Last Order At
             * @description When their latest order was placed.
             */
            last_order_at: string | null;
            /**
             * Addresses
             * @description All of them (at most 20), oldest first, as `GET /me/addresses` shows them.
             */
            addresses: components["schemas"]["SavedAddressRead"][];
        };
        /**
         * CustomerStatusRead
         * @description A status as customers see it: its customer name, or else its name.
         */
        CustomerStatusRead: {
            /** Code */
            code: string;
            /** Name */
            name: string;
            /** Description */
            description: string | null;
            /** Colour */
            colour: string;
            /** Is Terminal */
            is_terminal: boolean;
            /** Position */
            position: number;
        };
        /**
         * CustomerSummary
         * @example {
         *       "active": true,
         *       "created_at": "2025-02-01T10:00:00Z",
         *       "email": "cora@example.com",
         *       "id": "6c1f2d9e-8a4b-4f0e-b3a7-2e5d9c8f1a04",
         *       "last_order_at": "2025-03-14T09:26:53Z",
         *       "name": "Cora Customer",
         *       "order_count": 3
         *     }
         */
        CustomerSummary: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Email */
            email: string;
            /**
             * Name
             * @description The user's full name; empty when they gave none.
             */
            name: string;
            /**
             * Active
             * @description False once deactivated: they can no longer sign in.
             */
            active: boolean;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Order Count
             * @description Orders placed for them, in any status.
             */
            order_count: number;
            /**
             * Last Order At
             * @description When their latest order was placed.
             */
            last_order_at: string | null;
        };
        /**
         * Dashboard
         * @description Revenue sums the totals of orders in the shop's currency, leaving out orders in a
         *     status that releases their stock (such as cancelled); order counts include them.
         */
        Dashboard: {
            /**
             * Timezone
             * @description The time zone the days and weeks are counted in.
             */
            timezone: string;
            /**
             * Currency
             * @description The currency of every revenue figure: the shop's.
             */
            currency: string;
            /**
             * Generated At
             * Format: date-time
             */
            generated_at: string;
            today: components["schemas"]["PeriodFigures"];
            /** @description Since Monday, today included. */
            this_week: components["schemas"]["PeriodFigures"];
            /**
             * Per Status
             * @description Every status, in workflow order.
             */
            per_status: components["schemas"]["StatusCount"][];
            /**
             * Per Day
             * @description The last 30 days, oldest first, today last; every day present.
             */
            per_day: components["schemas"]["DayFigures"][];
            outbox: components["schemas"]["OutboxBacklog"];
            /**
             * Failed Deliveries
             * @description The latest 10 failed or dead deliveries, newest first.
             */
            failed_deliveries: components["schemas"]["FailedDelivery"][];
        };
        /** DayFigures */
        DayFigures: {
            /** Orders */
            orders: number;
            /**
             * Revenue
             * @example 19.99
             */
            revenue: string;
            /**
             * Day
             * Format: date
             */
            day: string;
        };
        /** DeliveryRead */
        DeliveryRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Event Id
             * Format: uuid
             */
            event_id: string;
            /** Event Type */
            event_type: string;
            /** Order Id */
            order_id: string | null;
            /** Configuration Id */
            configuration_id: string | null;
            worker: components["schemas"]["WorkerType"];
            /** Attempt */
            attempt: number;
            /**
             * Status
             * @enum {string}
             */
            status: "succeeded" | "failed" | "dead";
            /** Response */
            response: string | null;
            /** Error */
            error: string | null;
            /** Duration Ms */
            duration_ms: number;
            /**
             * Started At
             * Format: date-time
             */
            started_at: string;
            /**
             * Finished At
             * Format: date-time
             */
            finished_at: string;
        };
        /** EmailConfigurationCreate */
        EmailConfigurationCreate: {
            /** Name */
            name: string;
            /**
             * Enabled
             * @default true
             */
            enabled: boolean;
            /**
             * Trigger Events
             * @description Event types that trigger it; empty: all.
             * @default []
             */
            trigger_events: components["schemas"]["EventType"][];
            /**
             * Trigger Statuses
             * @description Order statuses (after the event) that trigger it; empty: all. Each must be a status of the workflow.
             * @default []
             */
            trigger_statuses: string[];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            worker_type: "email";
            settings: components["schemas"]["EmailSettings"];
        };
        /** EmailConfigurationRead */
        EmailConfigurationRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Name */
            name: string;
            /** Enabled */
            enabled: boolean;
            /** Trigger Events */
            trigger_events: components["schemas"]["EventType"][];
            /** Trigger Statuses */
            trigger_statuses: string[];
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            worker_type: "email";
            settings: components["schemas"]["EmailSettings"];
        };
        /** EmailConfigurationUpdate */
        EmailConfigurationUpdate: {
            /** Name */
            name?: string | null;
            /** Enabled */
            enabled?: boolean | null;
            /** Trigger Events */
            trigger_events?: components["schemas"]["EventType"][] | null;
            /** Trigger Statuses */
            trigger_statuses?: string[] | null;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            worker_type: "email";
            settings?: components["schemas"]["EmailSettings"] | null;
        };
        /** EmailSettings */
        EmailSettings: {
            /**
             * Send To Customer
             * @default true
             */
            send_to_customer: boolean;
            /**
             * Recipients
             * @default []
             */
            recipients: string[];
            /**
             * Template
             * @description Template name to use instead of the one named after the status.
             */
            template?: string | null;
        };
        /**
         * EmailTemplateEntry
         * @description An edited email template; shipped templates not listed are used as shipped.
         */
        EmailTemplateEntry: {
            /** Key */
            key: string;
            /** Subject */
            subject: string;
            /** Html */
            html: string;
            /** Text */
            text: string;
        };
        /** EmailTemplateRead */
        EmailTemplateRead: {
            /** Key */
            key: string;
            /** Subject */
            subject: string;
            /** Html */
            html: string;
            /** Text */
            text: string;
            /**
             * Shipped
             * @description OMS ships a default under this key.
             */
            shipped: boolean;
            /**
             * Edited
             * @description Edited through the API; resetting restores the default.
             */
            edited: boolean;
            /**
             * Version
             * @description 0 for a shipped default never edited.
             */
            version: number;
            /** Updated At */
            updated_at: string | null;
        };
        /**
         * EmailTemplateWrite
         * @description Jinja2 (sandboxed) seeing `order`, `actor`, `previous_status`, `note`, `event_type`
         *     and `brand`; the HTML part is autoescaped and may extend `base.html.j2`.
         * @example {
         *       "html": "{% extends \"base.html.j2\" %}{% block heading %}On its way{% endblock %}{% block body %}<p>Hello {{ order.customer.name }}!</p>{% endblock %}",
         *       "subject": "{{ order.number }} is on its way",
         *       "text": "Hello {{ order.customer.name }}, {{ order.number }} is on its way."
         *     }
         */
        EmailTemplateWrite: {
            /** Subject */
            subject: string;
            /** Html */
            html: string;
            /** Text */
            text: string;
        };
        /** EmailWorker */
        EmailWorker: {
            /** Name */
            name: string;
            /**
             * Enabled
             * @default true
             */
            enabled: boolean;
            /**
             * Trigger Events
             * @description Event types that trigger it; empty: all.
             * @default []
             */
            trigger_events: components["schemas"]["EventType"][];
            /**
             * Trigger Statuses
             * @description Statuses of this document that trigger it; empty: all.
             * @default []
             */
            trigger_statuses: string[];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            worker_type: "email";
            settings: components["schemas"]["EmailSettings"];
        };
        /**
         * EventType
         * @description Order events: what worker configurations trigger on.
         * @enum {string}
         */
        EventType: "order.created" | "order.status_changed";
        /** FailedDelivery */
        FailedDelivery: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Worker Type */
            worker_type: string;
            /** Event Type */
            event_type: string;
            /** Order Id */
            order_id: string | null;
            /**
             * Order Number
             * @example OMS-000123
             */
            order_number: string | null;
            /**
             * Status
             * @description `failed` (to be retried) or `dead` (given up).
             */
            status: string;
            /**
             * Attempts
             * @description The attempt this delivery was.
             */
            attempts: number;
            /** Last Error */
            last_error: string | null;
            /**
             * At
             * Format: date-time
             */
            at: string;
        };
        /** GraphProblemRead */
        GraphProblemRead: {
            /**
             * Kind
             * @description `no_initial_status`, `unreachable` (no path from the initial status), `dead_end` (not terminal, no exit) or `no_role` (no role may take the transition).
             * @example dead_end
             */
            kind: string;
            /** Message */
            message: string;
            /**
             * Status
             * @description The status concerned, if one.
             */
            status?: string | null;
            /**
             * Transition Id
             * @description The transition concerned, if one.
             */
            transition_id?: string | null;
        };
        /** HealthRead */
        HealthRead: {
            /** Status */
            status: string;
            /** Checks */
            checks: {
                [key: string]: string;
            };
        };
        /** HistoryEntry */
        HistoryEntry: {
            /** Status */
            status: string;
            /**
             * At
             * Format: date-time
             */
            at: string;
            actor: components["schemas"]["Actor"];
            /** Note */
            note?: string | null;
        };
        /**
         * ImageSource
         * @description A logo or favicon: a file beside the document (CLI only) or a URL to fetch.
         */
        ImageSource: {
            /** File */
            file?: string | null;
            /** Url */
            url?: string | null;
        };
        /** ImportProblem */
        ImportProblem: {
            /**
             * Field
             * @description The column at fault (`price`), an attribute (`attributes.width_cm`), or `row` for the row as a whole.
             */
            field: string;
            /** Message */
            message: string;
        };
        /** ImportRead */
        ImportRead: {
            /** Dry Run */
            dry_run: boolean;
            /**
             * Applied
             * @description True when the changes were made (never on a dry run).
             */
            applied: boolean;
            /**
             * Changes
             * @description Empty: the document is what OMS has.
             */
            changes: components["schemas"]["ChangeRead"][];
        };
        /** ImportRowRead */
        ImportRowRead: {
            /**
             * Row
             * @description The line of the file the row starts on.
             */
            row: number;
            /**
             * Sku
             * @description The row's SKU; null when the cell is empty.
             */
            sku: string | null;
            /**
             * Outcome
             * @enum {string}
             */
            outcome: "created" | "updated" | "failed";
            /**
             * Errors
             * @description Why the row failed; empty otherwise.
             */
            errors: components["schemas"]["ImportProblem"][];
        };
        /** InventoryConfigurationCreate */
        InventoryConfigurationCreate: {
            /** Name */
            name: string;
            /**
             * Enabled
             * @default true
             */
            enabled: boolean;
            /**
             * Trigger Events
             * @description Event types that trigger it; empty: all.
             * @default []
             */
            trigger_events: components["schemas"]["EventType"][];
            /**
             * Trigger Statuses
             * @description Order statuses (after the event) that trigger it; empty: all. Each must be a status of the workflow.
             * @default []
             */
            trigger_statuses: string[];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            worker_type: "inventory";
            settings: components["schemas"]["InventorySettings"];
        };
        /** InventoryConfigurationRead */
        InventoryConfigurationRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Name */
            name: string;
            /** Enabled */
            enabled: boolean;
            /** Trigger Events */
            trigger_events: components["schemas"]["EventType"][];
            /** Trigger Statuses */
            trigger_statuses: string[];
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            worker_type: "inventory";
            /** @description The secret is masked. */
            settings: components["schemas"]["InventorySettings"];
        };
        /** InventoryConfigurationUpdate */
        InventoryConfigurationUpdate: {
            /** Name */
            name?: string | null;
            /** Enabled */
            enabled?: boolean | null;
            /** Trigger Events */
            trigger_events?: components["schemas"]["EventType"][] | null;
            /** Trigger Statuses */
            trigger_statuses?: string[] | null;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            worker_type: "inventory";
            settings?: components["schemas"]["InventorySettings"] | null;
        };
        /** InventorySettings */
        InventorySettings: {
            /**
             * Direction
             * @description `in`: stock comes back (release); `out`: stock leaves.
             * @default in
             * @enum {string}
             */
            direction: "in" | "out";
            /**
             * Apply Locally
             * @description Release the stock in OMS's own catalogue too. Off by default: the orders module already gives stock back when an order is cancelled or returned.
             * @default false
             */
            apply_locally: boolean;
            /**
             * Warehouse Url
             * Format: uri
             */
            warehouse_url?: string;
            /**
             * Secret
             * @description whsec_… signing warehouse calls; masked like a webhook's.
             */
            secret?: string | null;
            /**
             * Timeout Seconds
             * @default 10
             */
            timeout_seconds: number;
        } | unknown | {
            /** @constant */
            apply_locally: true;
        };
        /** InventoryWorker */
        InventoryWorker: {
            /** Name */
            name: string;
            /**
             * Enabled
             * @default true
             */
            enabled: boolean;
            /**
             * Trigger Events
             * @description Event types that trigger it; empty: all.
             * @default []
             */
            trigger_events: components["schemas"]["EventType"][];
            /**
             * Trigger Statuses
             * @description Statuses of this document that trigger it; empty: all.
             * @default []
             */
            trigger_statuses: string[];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            worker_type: "inventory";
            settings: components["schemas"]["InventoryWorkerSettings"];
        };
        /**
         * InventoryWorkerSettings
         * @description An inventory worker's settings as the document writes them: the secret is a reference.
         */
        InventoryWorkerSettings: {
            /**
             * Direction
             * @default in
             * @enum {string}
             */
            direction: "in" | "out";
            /**
             * Apply Locally
             * @default false
             */
            apply_locally: boolean;
            /** Warehouse Url */
            warehouse_url?: string | null;
            /** Secret */
            secret?: string | null;
            /**
             * Timeout Seconds
             * @default 10
             */
            timeout_seconds: number;
        };
        /** LegalLink */
        LegalLink: {
            /**
             * Label
             * @example Terms
             */
            label: string;
            /**
             * Url
             * Format: uri
             */
            url: string;
        };
        /** OidcClientConfig */
        OidcClientConfig: {
            /**
             * Issuer
             * @description The OpenID provider's issuer URL (its discovery base).
             */
            issuer: string;
            /**
             * Client Id
             * @description The public client of the app that asked.
             */
            client_id: string;
            /**
             * Scope
             * @default openid profile email
             * @constant
             */
            scope: "openid profile email";
        };
        /**
         * OrderCreate
         * @description Prices and totals come from the catalogue; a client never sends them.
         * @example {
         *       "items": [
         *         {
         *           "quantity": 2,
         *           "sku": "FUR-CHAIR-OAK"
         *         },
         *         {
         *           "product_id": "9e4b7c2a-1d6f-4a8e-b5c3-7f2e9d1a6b08",
         *           "quantity": 1
         *         }
         *       ],
         *       "note": "Please ring twice.",
         *       "shipping_address": {
         *         "city": "Berlin",
         *         "country": "DE",
         *         "line1": "Hauptstraße 5",
         *         "name": "Cora Customer",
         *         "phone": "+49 30 1234567",
         *         "postal_code": "10115"
         *       }
         *     }
         */
        OrderCreate: {
            /** Items */
            items: components["schemas"]["OrderItemCreate"][];
            /** Note */
            note?: string | null;
            /**
             * Customer Id
             * @description Staff only: whom the order is for (default: the caller).
             */
            customer_id?: string | null;
            shipping_address: components["schemas"]["ShippingAddress"];
        };
        /**
         * OrderEventMessage
         * @description The `data` of one message of `GET /orders/events`: enough to tell which order changed
         *     and to what; read the order for the rest.
         */
        OrderEventMessage: {
            /**
             * Order Id
             * Format: uuid
             */
            order_id: string;
            /**
             * Number
             * @example OMS-000123
             */
            number: string;
            /** Status */
            status: string;
            /**
             * Previous Status
             * @description The status before, on `order.status_changed` only.
             */
            previous_status?: string | null;
            /** Version */
            version: number;
            /**
             * Occurred At
             * Format: date-time
             */
            occurred_at: string;
        };
        /**
         * OrderItemCreate
         * @description One product, by id or by SKU, and how many.
         */
        OrderItemCreate: {
            /**
             * Product Id
             * Format: uuid
             */
            product_id?: string;
            /** Sku */
            sku?: string;
            /** Quantity */
            quantity: number;
        } & (unknown | unknown);
        /** OrderItemRead */
        OrderItemRead: {
            /**
             * Product Id
             * Format: uuid
             */
            product_id: string;
            /** Sku */
            sku: string;
            /** Name */
            name: string;
            /**
             * Unit Price
             * @example 19.99
             */
            unit_price: string;
            /** Quantity */
            quantity: number;
            /**
             * Line Total
             * @example 19.99
             */
            line_total: string;
        };
        /**
         * OrderNoteCreate
         * @example {
         *       "text": "Customer called: leave the parcel with the neighbour."
         *     }
         */
        OrderNoteCreate: {
            /**
             * Text
             * @description 1 to 4000 characters, not only spaces.
             */
            text: string;
        };
        /**
         * OrderNoteRead
         * @description A staff member's internal note on an order; customers never see notes.
         * @example {
         *       "author_email": "manager@example.com",
         *       "author_id": "a3d5e7f9-1b2c-4d6e-8f0a-9b8c7d6e5f4a",
         *       "created_at": "2025-03-14T11:15:00Z",
         *       "id": "1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
         *       "order_id": "0b7e1c2a-5f7d-4c1e-9a51-3d2f6f0e8a11",
         *       "text": "Customer called: leave the parcel with the neighbour."
         *     }
         */
        OrderNoteRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Order Id
             * Format: uuid
             */
            order_id: string;
            /** Text */
            text: string;
            /**
             * Author Id
             * Format: uuid
             */
            author_id: string;
            /** Author Email */
            author_email: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
        };
        /**
         * OrderRead
         * @example {
         *       "created_at": "2025-03-14T09:26:53Z",
         *       "currency": "EUR",
         *       "customer_email": "cora@example.com",
         *       "customer_id": "6c1f2d9e-8a4b-4f0e-b3a7-2e5d9c8f1a04",
         *       "customer_name": "Cora Customer",
         *       "id": "0b7e1c2a-5f7d-4c1e-9a51-3d2f6f0e8a11",
         *       "items": [
         *         {
         *           "line_total": "298.00",
         *           "name": "Oak dining chair",
         *           "product_id": "3f2c8a5e-7b1d-4e9f-a6c3-5d8e2f1b9c07",
         *           "quantity": 2,
         *           "sku": "FUR-CHAIR-OAK",
         *           "unit_price": "149.00"
         *         },
         *         {
         *           "line_total": "39.95",
         *           "name": "LED desk lamp",
         *           "product_id": "9e4b7c2a-1d6f-4a8e-b5c3-7f2e9d1a6b08",
         *           "quantity": 1,
         *           "sku": "ELE-LAMP-LED",
         *           "unit_price": "39.95"
         *         }
         *       ],
         *       "note": "Please ring twice.",
         *       "number": "OMS-000123",
         *       "shipping_address": {
         *         "city": "Berlin",
         *         "country": "DE",
         *         "line1": "Hauptstraße 5",
         *         "name": "Cora Customer",
         *         "phone": "+49 30 1234567",
         *         "postal_code": "10115"
         *       },
         *       "status": "confirmed",
         *       "status_history": [
         *         {
         *           "actor": {
         *             "email": "cora@example.com",
         *             "id": "6c1f2d9e-8a4b-4f0e-b3a7-2e5d9c8f1a04"
         *           },
         *           "at": "2025-03-14T09:26:53Z",
         *           "note": "Please ring twice.",
         *           "status": "new"
         *         },
         *         {
         *           "actor": {
         *             "email": "manager@example.com",
         *             "id": "a3d5e7f9-1b2c-4d6e-8f0a-9b8c7d6e5f4a"
         *           },
         *           "at": "2025-03-14T10:02:11Z",
         *           "note": "Paid by bank transfer.",
         *           "status": "confirmed"
         *         }
         *       ],
         *       "total": "337.95",
         *       "updated_at": "2025-03-14T10:02:11Z",
         *       "version": 1
         *     }
         */
        OrderRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Number
             * @example OMS-000123
             */
            number: string;
            /** Status */
            status: string;
            /**
             * Customer Id
             * Format: uuid
             */
            customer_id: string;
            /** Customer Email */
            customer_email: string;
            /** Customer Name */
            customer_name: string | null;
            /** Currency */
            currency: string;
            /**
             * Total
             * @example 19.99
             */
            total: string;
            /** Items */
            items: components["schemas"]["OrderItemRead"][];
            shipping_address: components["schemas"]["ShippingAddress"];
            /** Note */
            note: string | null;
            /** Status History */
            status_history: components["schemas"]["HistoryEntry"][];
            /** Version */
            version: number;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /**
         * OrderSort
         * @description How a listing of orders is ordered: a field, descending with a leading `-`.
         * @enum {string}
         */
        OrderSort: "-created_at" | "created_at" | "-total" | "total" | "number" | "-number";
        /**
         * OrderSummary
         * @description An order in a list: no items or history.
         * @example {
         *       "created_at": "2025-03-14T09:26:53Z",
         *       "currency": "EUR",
         *       "customer_email": "cora@example.com",
         *       "customer_id": "6c1f2d9e-8a4b-4f0e-b3a7-2e5d9c8f1a04",
         *       "customer_name": "Cora Customer",
         *       "id": "0b7e1c2a-5f7d-4c1e-9a51-3d2f6f0e8a11",
         *       "number": "OMS-000123",
         *       "status": "confirmed",
         *       "total": "337.95",
         *       "updated_at": "2025-03-14T10:02:11Z",
         *       "version": 1
         *     }
         */
        OrderSummary: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Number
             * @example OMS-000123
             */
            number: string;
            /** Status */
            status: string;
            /**
             * Customer Id
             * Format: uuid
             */
            customer_id: string;
            /** Customer Email */
            customer_email: string;
            /** Customer Name */
            customer_name: string | null;
            /** Currency */
            currency: string;
            /**
             * Total
             * @example 19.99
             */
            total: string;
            /** Version */
            version: number;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /** OutboxBacklog */
        OutboxBacklog: {
            /**
             * Unpublished
             * @description Events the relay has yet to publish.
             */
            unpublished: number;
            /**
             * Oldest At
             * @description When the next event the relay will publish occurred (none: no backlog).
             */
            oldest_at: string | null;
            /**
             * Oldest Age Seconds
             * @description How long that event has waited.
             */
            oldest_age_seconds: number | null;
        };
        /** Page[AuditEntryRead] */
        Page_AuditEntryRead_: {
            /** Items */
            items: components["schemas"]["AuditEntryRead"][];
            /** Next Cursor */
            next_cursor: string | null;
        };
        /** Page[CategoryRead] */
        Page_CategoryRead_: {
            /** Items */
            items: components["schemas"]["CategoryRead"][];
            /** Next Cursor */
            next_cursor: string | null;
        };
        /** Page[CustomerSummary] */
        Page_CustomerSummary_: {
            /** Items */
            items: components["schemas"]["CustomerSummary"][];
            /** Next Cursor */
            next_cursor: string | null;
        };
        /** Page[DeliveryRead] */
        Page_DeliveryRead_: {
            /** Items */
            items: components["schemas"]["DeliveryRead"][];
            /** Next Cursor */
            next_cursor: string | null;
        };
        /** Page[OrderNoteRead] */
        Page_OrderNoteRead_: {
            /** Items */
            items: components["schemas"]["OrderNoteRead"][];
            /** Next Cursor */
            next_cursor: string | null;
        };
        /** Page[OrderSummary] */
        Page_OrderSummary_: {
            /** Items */
            items: components["schemas"]["OrderSummary"][];
            /** Next Cursor */
            next_cursor: string | null;
        };
        /** Page[ProductRead] */
        Page_ProductRead_: {
            /** Items */
            items: components["schemas"]["ProductRead"][];
            /** Next Cursor */
            next_cursor: string | null;
        };
        /** Page[SavedAddressRead] */
        Page_SavedAddressRead_: {
            /** Items */
            items: components["schemas"]["SavedAddressRead"][];
            /** Next Cursor */
            next_cursor: string | null;
        };
        /** Page[SentEmailRead] */
        Page_SentEmailRead_: {
            /** Items */
            items: components["schemas"]["SentEmailRead"][];
            /** Next Cursor */
            next_cursor: string | null;
        };
        /** Page[UserRead] */
        Page_UserRead_: {
            /** Items */
            items: components["schemas"]["UserRead"][];
            /** Next Cursor */
            next_cursor: string | null;
        };
        /** PasswordResetAccepted */
        PasswordResetAccepted: {
            /**
             * Detail
             * @default If the address belongs to an active account, a link to set a new password is on its way.
             */
            detail: string;
        };
        /**
         * PasswordResetConfirm
         * @example {
         *       "password": "correct horse battery staple",
         *       "token": "Jm9vQmFyQmF6UXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbA"
         *     }
         */
        PasswordResetConfirm: {
            /** Token */
            token: string;
            /**
             * Password
             * @description At least 12 characters.
             */
            password: string;
        };
        /**
         * PasswordResetRequest
         * @example {
         *       "email": "cora@example.com"
         *     }
         */
        PasswordResetRequest: {
            /** Email */
            email: string;
        };
        /** PeriodFigures */
        PeriodFigures: {
            /** Orders */
            orders: number;
            /**
             * Revenue
             * @example 19.99
             */
            revenue: string;
        };
        /**
         * Permission
         * @enum {string}
         */
        Permission: "catalogue:read" | "catalogue:write" | "orders:create" | "orders:read-own" | "orders:read-all" | "orders:create-for-customer" | "orders:transition" | "orders:bulk-transition" | "orders:notes" | "orders:notes-delete-any" | "config:read" | "config:write" | "users:manage" | "customers:read" | "audit:read" | "profile";
        /**
         * Problem
         * @description An RFC 9457 problem, as `problem_response` renders it. Problem types may add members
         *     of their own (`allowed_targets`, `current_etag`, ...).
         * @example {
         *       "allowed_targets": [
         *         "delivered"
         *       ],
         *       "current_status": "shipped",
         *       "detail": "An order in status 'shipped' cannot be moved to 'cancelled' by you; allowed targets: delivered.",
         *       "instance": "/api/v1/orders/0b7e1c2a-5f7d-4c1e-9a51-3d2f6f0e8a11/status",
         *       "requested_status": "cancelled",
         *       "status": 409,
         *       "title": "Conflict",
         *       "type": "urn:oms:problem:transition-not-allowed"
         *     }
         * @example {
         *       "detail": "The request is not valid; see `errors` for each field.",
         *       "errors": [
         *         {
         *           "field": "items.0.quantity",
         *           "in": "body",
         *           "message": "Input should be greater than or equal to 1",
         *           "type": "greater_than_equal"
         *         }
         *       ],
         *       "instance": "/api/v1/orders",
         *       "status": 400,
         *       "title": "Invalid request",
         *       "type": "urn:oms:problem:validation"
         *     }
         */
        Problem: {
            /**
             * Type
             * @description `urn:oms:problem:<slug>` naming the kind of problem, or `about:blank`.
             */
            type: string;
            /** Title */
            title: string;
            /** Status */
            status: number;
            /** Detail */
            detail?: string;
            /**
             * Instance
             * @description The path of the request that failed.
             */
            instance: string;
            /**
             * Errors
             * @description Each invalid field, when the request's fields are at fault.
             */
            errors?: components["schemas"]["ProblemFieldError"][];
        } & {
            [key: string]: unknown;
        };
        /**
         * ProblemFieldError
         * @description One entry of a problem's `errors`: which field is wrong and why.
         */
        ProblemFieldError: {
            /**
             * Field
             * @description Dotted path of the field (`items.0.quantity`).
             */
            field: string;
            /**
             * In
             * @description Where the field is: body, query, path or header.
             */
            in?: string;
            /** Message */
            message: string;
            /**
             * Type
             * @description A machine-readable kind of error (`missing`, `value_error`).
             */
            type?: string;
        };
        /**
         * ProductCreate
         * @example {
         *       "active": true,
         *       "attributes": {
         *         "depth_cm": 50,
         *         "height_cm": 92,
         *         "material": "oak",
         *         "width_cm": 45
         *       },
         *       "category_id": "5b9d3e1f-2a4c-4e6b-8d0f-1a3c5e7b9d2f",
         *       "description": "Solid oak, oiled; seat height 46 cm.",
         *       "name": "Oak dining chair",
         *       "price": "149.00",
         *       "sku": "FUR-CHAIR-OAK",
         *       "stock": 40
         *     }
         */
        ProductCreate: {
            /**
             * Sku
             * @description Unique ignoring case: letters, digits, `.`, `_`, `-`.
             * @example CH-001
             */
            sku: string;
            /** Name */
            name: string;
            /**
             * Description
             * @default
             */
            description: string;
            /**
             * Category Id
             * Format: uuid
             */
            category_id: string;
            /**
             * Price
             * @example 19.99
             */
            price: string;
            /**
             * Stock
             * @description Units in stock; null means not tracked.
             */
            stock?: number | null;
            /**
             * Active
             * @default true
             */
            active: boolean;
            /** Attributes */
            attributes?: {
                [key: string]: unknown;
            };
        };
        /** ProductImageRead */
        ProductImageRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Url
             * @description Public and immutable: the image's bytes, cacheable for good.
             */
            url: string;
            /** Content Type */
            content_type: string;
            /** Width */
            width: number;
            /** Height */
            height: number;
        };
        /**
         * ProductImportRead
         * @description What the import did (or, with `dry_run`, would do), row by row, in file order.
         * @example {
         *       "created": 1,
         *       "failed": 1,
         *       "rows": [
         *         {
         *           "errors": [],
         *           "outcome": "updated",
         *           "row": 2,
         *           "sku": "FUR-CHAIR-OAK"
         *         },
         *         {
         *           "errors": [],
         *           "outcome": "created",
         *           "row": 3,
         *           "sku": "FUR-TABLE-ASH"
         *         },
         *         {
         *           "errors": [
         *             {
         *               "field": "price",
         *               "message": "is required for a new product"
         *             }
         *           ],
         *           "outcome": "failed",
         *           "row": 4,
         *           "sku": "FUR-BENCH"
         *         }
         *       ],
         *       "updated": 1
         *     }
         */
        ProductImportRead: {
            /** Created */
            created: number;
            /** Updated */
            updated: number;
            /** Failed */
            failed: number;
            /** Rows */
            rows: components["schemas"]["ImportRowRead"][];
        };
        /**
         * ProductRead
         * @example {
         *       "active": true,
         *       "attributes": {
         *         "depth_cm": 50,
         *         "height_cm": 92,
         *         "material": "oak",
         *         "width_cm": 45
         *       },
         *       "category_id": "5b9d3e1f-2a4c-4e6b-8d0f-1a3c5e7b9d2f",
         *       "created_at": "2025-03-01T08:00:00Z",
         *       "currency": "EUR",
         *       "description": "Solid oak, oiled; seat height 46 cm.",
         *       "id": "3f2c8a5e-7b1d-4e9f-a6c3-5d8e2f1b9c07",
         *       "images": [
         *         {
         *           "content_type": "image/png",
         *           "height": 600,
         *           "id": "7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
         *           "url": "/api/v1/product-images/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
         *           "width": 800
         *         }
         *       ],
         *       "name": "Oak dining chair",
         *       "price": "149.00",
         *       "sku": "FUR-CHAIR-OAK",
         *       "stock": 40,
         *       "updated_at": "2025-03-14T09:26:53Z",
         *       "version": 3
         *     }
         */
        ProductRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Sku */
            sku: string;
            /** Name */
            name: string;
            /** Description */
            description: string;
            /**
             * Category Id
             * Format: uuid
             */
            category_id: string;
            /**
             * Price
             * @example 19.99
             */
            price: string;
            /** Currency */
            currency: string;
            /** Stock */
            stock: number | null;
            /** Active */
            active: boolean;
            /** Attributes */
            attributes: {
                [key: string]: unknown;
            };
            /**
             * Version
             * @description One more with every change (stock and images too); `PATCH` takes it as `If-Match`.
             */
            version: number;
            /**
             * Images
             * @description In the order they are shown.
             */
            images: components["schemas"]["ProductImageRead"][];
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /**
         * ProductUpdate
         * @description Only the fields sent change; `stock: null` stops tracking stock.
         */
        ProductUpdate: {
            /**
             * Sku
             * @description Unique ignoring case: letters, digits, `.`, `_`, `-`.
             * @example CH-001
             */
            sku?: string;
            /** Name */
            name?: string;
            /** Description */
            description?: string;
            /**
             * Category Id
             * Format: uuid
             */
            category_id?: string;
            /**
             * Price
             * @example 19.99
             */
            price?: string;
            /**
             * Stock
             * @description Units in stock; null means not tracked.
             */
            stock?: number | null;
            /** Active */
            active?: boolean;
            /** Attributes */
            attributes?: {
                [key: string]: unknown;
            };
        };
        /**
         * ProfileRead
         * @description One's own account, with what its roles allow (so an app can hide what it may not do).
         */
        ProfileRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Email */
            email: string;
            /** Full Name */
            full_name: string;
            /** Roles */
            roles: components["schemas"]["Role"][];
            /** Is Active */
            is_active: boolean;
            /** External Subject */
            external_subject: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /**
             * Permissions
             * @description Every permission the roles grant, sorted.
             */
            permissions: components["schemas"]["Permission"][];
        };
        /**
         * ProfileUpdate
         * @description One's own profile: the name and, given the current one, a new password. Roles and the
         *     active flag cannot be changed here (unknown fields are refused).
         */
        ProfileUpdate: {
            /** Full Name */
            full_name?: string | null;
            /** Current Password */
            current_password?: string | null;
            /** New Password */
            new_password?: string | null;
        };
        /**
         * Quote
         * @description What the order would cost now, priced as placing it would; nothing is reserved.
         * @example {
         *       "currency": "EUR",
         *       "items": [
         *         {
         *           "available": 1,
         *           "in_stock": false,
         *           "line_total": "298.00",
         *           "name": "Oak dining chair",
         *           "product_id": "3f2c8a5e-7b1d-4e9f-a6c3-5d8e2f1b9c07",
         *           "quantity": 2,
         *           "sku": "FUR-CHAIR-OAK",
         *           "unit_price": "149.00"
         *         }
         *       ],
         *       "problems": [
         *         "Only 1 of 'FUR-CHAIR-OAK' in stock, 2 requested."
         *       ],
         *       "total": "298.00"
         *     }
         */
        Quote: {
            /** Currency */
            currency: string;
            /** Items */
            items: components["schemas"]["QuoteItem"][];
            /**
             * Total
             * @example 19.99
             */
            total: string;
            /**
             * Problems
             * @description Why placing it now would fail, if it would.
             */
            problems: string[];
        };
        /** QuoteItem */
        QuoteItem: {
            /**
             * Product Id
             * Format: uuid
             */
            product_id: string;
            /** Sku */
            sku: string;
            /** Name */
            name: string;
            /** Quantity */
            quantity: number;
            /**
             * Unit Price
             * @example 19.99
             */
            unit_price: string;
            /**
             * Line Total
             * @example 19.99
             */
            line_total: string;
            /**
             * Available
             * @description In stock now; null when stock is not tracked.
             */
            available: number | null;
            /**
             * In Stock
             * @description Whether `quantity` can be had now.
             */
            in_stock: boolean;
        };
        /**
         * QuoteRequest
         * @description An order as it would be placed; the shipping address may be left out.
         * @example {
         *       "items": [
         *         {
         *           "quantity": 2,
         *           "sku": "FUR-CHAIR-OAK"
         *         }
         *       ]
         *     }
         */
        QuoteRequest: {
            /** Items */
            items: components["schemas"]["OrderItemCreate"][];
            /** Note */
            note?: string | null;
            /**
             * Customer Id
             * @description Staff only: whom the order is for (default: the caller).
             */
            customer_id?: string | null;
            shipping_address?: components["schemas"]["ShippingAddress"] | null;
        };
        /** RefreshRequest */
        RefreshRequest: {
            /** Refresh Token */
            refresh_token: string;
        };
        /** Registration */
        Registration: {
            /**
             * Email
             * Format: email
             */
            email: string;
            /**
             * Password
             * @description At least 12 characters.
             */
            password: string;
            /**
             * Full Name
             * @default
             */
            full_name: string;
        };
        /** RenderedEmailRead */
        RenderedEmailRead: {
            /** Subject */
            subject: string;
            /** Html */
            html: string;
            /** Text */
            text: string;
        };
        /** ReplayRead */
        ReplayRead: {
            /**
             * Event Id
             * Format: uuid
             */
            event_id: string;
            /**
             * Configuration Id
             * Format: uuid
             */
            configuration_id: string;
            worker: components["schemas"]["WorkerType"];
        };
        /**
         * Role
         * @enum {string}
         */
        Role: "admin" | "manager" | "customer";
        /**
         * SavedAddressCreate
         * @example {
         *       "city": "Berlin",
         *       "country": "DE",
         *       "is_default": true,
         *       "label": "Home",
         *       "line1": "Hauptstraße 5",
         *       "name": "Cora Customer",
         *       "phone": "+49 30 1234567",
         *       "postal_code": "10115"
         *     }
         */
        SavedAddressCreate: {
            /** Name */
            name: string;
            /** Line1 */
            line1: string;
            /** Line2 */
            line2?: string | null;
            /** City */
            city: string;
            /** Postal Code */
            postal_code: string;
            /**
             * Country
             * @description ISO 3166-1 alpha-2 code, e.g. DE (taken in any case).
             * @example DE
             * @enum {string}
             */
            country: "AD" | "AE" | "AF" | "AG" | "AI" | "AL" | "AM" | "AO" | "AQ" | "AR" | "AS" | "AT" | "AU" | "AW" | "AX" | "AZ" | "BA" | "BB" | "BD" | "BE" | "BF" | "BG" | "BH" | "BI" | "BJ" | "BL" | "BM" | "BN" | "BO" | "BQ" | "BR" | "BS" | "BT" | "BV" | "BW" | "BY" | "BZ" | "CA" | "CC" | "CD" | "CF" | "CG" | "CH" | "CI" | "CK" | "CL" | "CM" | "CN" | "CO" | "CR" | "CU" | "CV" | "CW" | "CX" | "CY" | "CZ" | "DE" | "DJ" | "DK" | "DM" | "DO" | "DZ" | "EC" | "EE" | "EG" | "EH" | "ER" | "ES" | "ET" | "FI" | "FJ" | "FK" | "FM" | "FO" | "FR" | "GA" | "GB" | "GD" | "GE" | "GF" | "GG" | "GH" | "GI" | "GL" | "GM" | "GN" | "GP" | "GQ" | "GR" | "GS" | "GT" | "GU" | "GW" | "GY" | "HK" | "HM" | "HN" | "HR" | "HT" | "HU" | "ID" | "IE" | "IL" | "IM" | "IN" | "IO" | "IQ" | "IR" | "IS" | "IT" | "JE" | "JM" | "JO" | "JP" | "KE" | "KG" | "KH" | "KI" | "KM" | "KN" | "KP" | "KR" | "KW" | "KY" | "KZ" | "LA" | "LB" | "LC" | "LI" | "LK" | "LR" | "LS" | "LT" | "LU" | "LV" | "LY" | "MA" | "MC" | "MD" | "ME" | "MF" | "MG" | "MH" | "MK" | "ML" | "MM" | "MN" | "MO" | "MP" | "MQ" | "MR" | "MS" | "MT" | "MU" | "MV" | "MW" | "MX" | "MY" | "MZ" | "NA" | "NC" | "NE" | "NF" | "NG" | "NI" | "NL" | "NO" | "NP" | "NR" | "NU" | "NZ" | "OM" | "PA" | "PE" | "PF" | "PG" | "PH" | "PK" | "PL" | "PM" | "PN" | "PR" | "PS" | "PT" | "PW" | "PY" | "QA" | "RE" | "RO" | "RS" | "RU" | "RW" | "SA" | "SB" | "SC" | "SD" | "SE" | "SG" | "SH" | "SI" | "SJ" | "SK" | "SL" | "SM" | "SN" | "SO" | "SR" | "SS" | "ST" | "SV" | "SX" | "SY" | "SZ" | "TC" | "TD" | "TF" | "TG" | "TH" | "TJ" | "TK" | "TL" | "TM" | "TN" | "TO" | "TR" | "TT" | "TV" | "TW" | "TZ" | "UA" | "UG" | "UM" | "US" | "UY" | "UZ" | "VA" | "VC" | "VE" | "VG" | "VI" | "VN" | "VU" | "WF" | "WS" | "YE" | "YT" | "ZA" | "ZM" | "ZW";
            /** Phone */
            phone?: string | null;
            /** Label */
            label?: string | null;
            /**
             * Is Default
             * @description Make it the default; the previous default stops being one.
             * @default false
             */
            is_default: boolean;
        };
        /**
         * SavedAddressRead
         * @example {
         *       "city": "Berlin",
         *       "country": "DE",
         *       "created_at": "2025-03-14T09:20:00Z",
         *       "id": "5d2e8f1a-3b4c-4d6e-9f0a-1b2c3d4e5f60",
         *       "is_default": true,
         *       "label": "Home",
         *       "line1": "Hauptstraße 5",
         *       "name": "Cora Customer",
         *       "phone": "+49 30 1234567",
         *       "postal_code": "10115",
         *       "updated_at": "2025-03-14T09:20:00Z",
         *       "version": 0
         *     }
         */
        SavedAddressRead: {
            /** Name */
            name: string;
            /** Line1 */
            line1: string;
            /** Line2 */
            line2?: string | null;
            /** City */
            city: string;
            /** Postal Code */
            postal_code: string;
            /**
             * Country
             * @description ISO 3166-1 alpha-2 code, e.g. DE (taken in any case).
             * @example DE
             * @enum {string}
             */
            country: "AD" | "AE" | "AF" | "AG" | "AI" | "AL" | "AM" | "AO" | "AQ" | "AR" | "AS" | "AT" | "AU" | "AW" | "AX" | "AZ" | "BA" | "BB" | "BD" | "BE" | "BF" | "BG" | "BH" | "BI" | "BJ" | "BL" | "BM" | "BN" | "BO" | "BQ" | "BR" | "BS" | "BT" | "BV" | "BW" | "BY" | "BZ" | "CA" | "CC" | "CD" | "CF" | "CG" | "CH" | "CI" | "CK" | "CL" | "CM" | "CN" | "CO" | "CR" | "CU" | "CV" | "CW" | "CX" | "CY" | "CZ" | "DE" | "DJ" | "DK" | "DM" | "DO" | "DZ" | "EC" | "EE" | "EG" | "EH" | "ER" | "ES" | "ET" | "FI" | "FJ" | "FK" | "FM" | "FO" | "FR" | "GA" | "GB" | "GD" | "GE" | "GF" | "GG" | "GH" | "GI" | "GL" | "GM" | "GN" | "GP" | "GQ" | "GR" | "GS" | "GT" | "GU" | "GW" | "GY" | "HK" | "HM" | "HN" | "HR" | "HT" | "HU" | "ID" | "IE" | "IL" | "IM" | "IN" | "IO" | "IQ" | "IR" | "IS" | "IT" | "JE" | "JM" | "JO" | "JP" | "KE" | "KG" | "KH" | "KI" | "KM" | "KN" | "KP" | "KR" | "KW" | "KY" | "KZ" | "LA" | "LB" | "LC" | "LI" | "LK" | "LR" | "LS" | "LT" | "LU" | "LV" | "LY" | "MA" | "MC" | "MD" | "ME" | "MF" | "MG" | "MH" | "MK" | "ML" | "MM" | "MN" | "MO" | "MP" | "MQ" | "MR" | "MS" | "MT" | "MU" | "MV" | "MW" | "MX" | "MY" | "MZ" | "NA" | "NC" | "NE" | "NF" | "NG" | "NI" | "NL" | "NO" | "NP" | "NR" | "NU" | "NZ" | "OM" | "PA" | "PE" | "PF" | "PG" | "PH" | "PK" | "PL" | "PM" | "PN" | "PR" | "PS" | "PT" | "PW" | "PY" | "QA" | "RE" | "RO" | "RS" | "RU" | "RW" | "SA" | "SB" | "SC" | "SD" | "SE" | "SG" | "SH" | "SI" | "SJ" | "SK" | "SL" | "SM" | "SN" | "SO" | "SR" | "SS" | "ST" | "SV" | "SX" | "SY" | "SZ" | "TC" | "TD" | "TF" | "TG" | "TH" | "TJ" | "TK" | "TL" | "TM" | "TN" | "TO" | "TR" | "TT" | "TV" | "TW" | "TZ" | "UA" | "UG" | "UM" | "US" | "UY" | "UZ" | "VA" | "VC" | "VE" | "VG" | "VI" | "VN" | "VU" | "WF" | "WS" | "YE" | "YT" | "ZA" | "ZM" | "ZW";
            /** Phone */
            phone?: string | null;
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Label */
            label: string | null;
            /** Is Default */
            is_default: boolean;
            /** Version */
            version: number;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /**
         * SavedAddressUpdate
         * @description The fields sent change, each checked as in an order's address; `label`, `line2` and
         *     `phone` may be null (removed).
         * @example {
         *       "is_default": true,
         *       "label": "Work"
         *     }
         */
        SavedAddressUpdate: {
            /** Label */
            label?: string | null;
            /** Name */
            name?: string;
            /** Line1 */
            line1?: string;
            /** Line2 */
            line2?: string | null;
            /** City */
            city?: string;
            /** Postal Code */
            postal_code?: string;
            /**
             * Country
             * @description ISO 3166-1 alpha-2 code, e.g. DE (taken in any case).
             * @example DE
             * @enum {string}
             */
            country?: "AD" | "AE" | "AF" | "AG" | "AI" | "AL" | "AM" | "AO" | "AQ" | "AR" | "AS" | "AT" | "AU" | "AW" | "AX" | "AZ" | "BA" | "BB" | "BD" | "BE" | "BF" | "BG" | "BH" | "BI" | "BJ" | "BL" | "BM" | "BN" | "BO" | "BQ" | "BR" | "BS" | "BT" | "BV" | "BW" | "BY" | "BZ" | "CA" | "CC" | "CD" | "CF" | "CG" | "CH" | "CI" | "CK" | "CL" | "CM" | "CN" | "CO" | "CR" | "CU" | "CV" | "CW" | "CX" | "CY" | "CZ" | "DE" | "DJ" | "DK" | "DM" | "DO" | "DZ" | "EC" | "EE" | "EG" | "EH" | "ER" | "ES" | "ET" | "FI" | "FJ" | "FK" | "FM" | "FO" | "FR" | "GA" | "GB" | "GD" | "GE" | "GF" | "GG" | "GH" | "GI" | "GL" | "GM" | "GN" | "GP" | "GQ" | "GR" | "GS" | "GT" | "GU" | "GW" | "GY" | "HK" | "HM" | "HN" | "HR" | "HT" | "HU" | "ID" | "IE" | "IL" | "IM" | "IN" | "IO" | "IQ" | "IR" | "IS" | "IT" | "JE" | "JM" | "JO" | "JP" | "KE" | "KG" | "KH" | "KI" | "KM" | "KN" | "KP" | "KR" | "KW" | "KY" | "KZ" | "LA" | "LB" | "LC" | "LI" | "LK" | "LR" | "LS" | "LT" | "LU" | "LV" | "LY" | "MA" | "MC" | "MD" | "ME" | "MF" | "MG" | "MH" | "MK" | "ML" | "MM" | "MN" | "MO" | "MP" | "MQ" | "MR" | "MS" | "MT" | "MU" | "MV" | "MW" | "MX" | "MY" | "MZ" | "NA" | "NC" | "NE" | "NF" | "NG" | "NI" | "NL" | "NO" | "NP" | "NR" | "NU" | "NZ" | "OM" | "PA" | "PE" | "PF" | "PG" | "PH" | "PK" | "PL" | "PM" | "PN" | "PR" | "PS" | "PT" | "PW" | "PY" | "QA" | "RE" | "RO" | "RS" | "RU" | "RW" | "SA" | "SB" | "SC" | "SD" | "SE" | "SG" | "SH" | "SI" | "SJ" | "SK" | "SL" | "SM" | "SN" | "SO" | "SR" | "SS" | "ST" | "SV" | "SX" | "SY" | "SZ" | "TC" | "TD" | "TF" | "TG" | "TH" | "TJ" | "TK" | "TL" | "TM" | "TN" | "TO" | "TR" | "TT" | "TV" | "TW" | "TZ" | "UA" | "UG" | "UM" | "US" | "UY" | "UZ" | "VA" | "VC" | "VE" | "VG" | "VI" | "VN" | "VU" | "WF" | "WS" | "YE" | "YT" | "ZA" | "ZM" | "ZW";
            /** Phone */
            phone?: string | null;
            /** Is Default */
            is_default?: boolean;
        };
        /**
         * SchemaCheckRead
         * @description What changing the category's schema to the one sent would meet; nothing is changed.
         * @example {
         *       "broken": [
         *         {
         *           "errors": [
         *             {
         *               "message": "is required",
         *               "path": "attributes.seat_cm"
         *             }
         *           ],
         *           "name": "Oak dining chair",
         *           "product_id": "3f2c8a5e-7b1d-4e9f-a6c3-5d8e2f1b9c07",
         *           "sku": "FUR-CHAIR-OAK"
         *         }
         *       ],
         *       "broken_count": 1,
         *       "checked": 240,
         *       "schema_errors": [],
         *       "valid_schema": true
         *     }
         */
        SchemaCheckRead: {
            /**
             * Valid Schema
             * @description False when the category update would refuse the schema itself (400); `schema_errors` says why, and no product is checked.
             */
            valid_schema: boolean;
            /** Schema Errors */
            schema_errors: components["schemas"]["SchemaProblem"][];
            /**
             * Checked
             * @description How many products of the category were checked.
             */
            checked: number;
            /**
             * Broken Count
             * @description How many of them the schema would refuse.
             */
            broken_count: number;
            /**
             * Broken
             * @description The first 100 of those, in SKU order, with what is wrong with each.
             */
            broken: components["schemas"]["BrokenProduct"][];
        };
        /**
         * SchemaCheckRequest
         * @description A proposed attribute schema for a category, as `PATCH /categories/{id}` takes it.
         */
        SchemaCheckRequest: {
            /**
             * Attribute Schema
             * @description JSON Schema (2020-12) the attributes of the category's products satisfy.
             */
            attribute_schema: {
                [key: string]: unknown;
            };
        };
        /** SchemaProblem */
        SchemaProblem: {
            /**
             * Field
             * @description Where in the schema: `attribute_schema.properties.x.type`.
             */
            field: string;
            /** Message */
            message: string;
        };
        /** SentEmailRead */
        SentEmailRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Event Id */
            event_id: string | null;
            /** Configuration Id */
            configuration_id: string | null;
            /** Sender */
            sender: string;
            /** Recipients */
            recipients: string[];
            /** Subject */
            subject: string;
            /** Html */
            html: string;
            /** Text Body */
            text_body: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
        };
        /**
         * SessionTokenRead
         * @description A browser sign-in's answer: the access token (kept in memory); the refresh token
         *     travels only in the `oms_refresh` cookie.
         * @example {
         *       "access_token": "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiSldUIn0.eyJzdWIiOiI2YzFmMmQ5ZSIsInJvbGVzIjpbImN1c3RvbWVyIl19.c2lnbmF0dXJl",
         *       "expires_in": 300,
         *       "token_type": "bearer"
         *     }
         */
        SessionTokenRead: {
            /** Access Token */
            access_token: string;
            /**
             * Token Type
             * @default bearer
             * @constant
             */
            token_type: "bearer";
            /**
             * Expires In
             * @description Seconds the access token is valid.
             */
            expires_in: number;
        };
        /** ShippingAddress */
        ShippingAddress: {
            /** Name */
            name: string;
            /** Line1 */
            line1: string;
            /** Line2 */
            line2?: string | null;
            /** City */
            city: string;
            /** Postal Code */
            postal_code: string;
            /**
             * Country
             * @description ISO 3166-1 alpha-2 code, e.g. DE (taken in any case).
             * @example DE
             * @enum {string}
             */
            country: "AD" | "AE" | "AF" | "AG" | "AI" | "AL" | "AM" | "AO" | "AQ" | "AR" | "AS" | "AT" | "AU" | "AW" | "AX" | "AZ" | "BA" | "BB" | "BD" | "BE" | "BF" | "BG" | "BH" | "BI" | "BJ" | "BL" | "BM" | "BN" | "BO" | "BQ" | "BR" | "BS" | "BT" | "BV" | "BW" | "BY" | "BZ" | "CA" | "CC" | "CD" | "CF" | "CG" | "CH" | "CI" | "CK" | "CL" | "CM" | "CN" | "CO" | "CR" | "CU" | "CV" | "CW" | "CX" | "CY" | "CZ" | "DE" | "DJ" | "DK" | "DM" | "DO" | "DZ" | "EC" | "EE" | "EG" | "EH" | "ER" | "ES" | "ET" | "FI" | "FJ" | "FK" | "FM" | "FO" | "FR" | "GA" | "GB" | "GD" | "GE" | "GF" | "GG" | "GH" | "GI" | "GL" | "GM" | "GN" | "GP" | "GQ" | "GR" | "GS" | "GT" | "GU" | "GW" | "GY" | "HK" | "HM" | "HN" | "HR" | "HT" | "HU" | "ID" | "IE" | "IL" | "IM" | "IN" | "IO" | "IQ" | "IR" | "IS" | "IT" | "JE" | "JM" | "JO" | "JP" | "KE" | "KG" | "KH" | "KI" | "KM" | "KN" | "KP" | "KR" | "KW" | "KY" | "KZ" | "LA" | "LB" | "LC" | "LI" | "LK" | "LR" | "LS" | "LT" | "LU" | "LV" | "LY" | "MA" | "MC" | "MD" | "ME" | "MF" | "MG" | "MH" | "MK" | "ML" | "MM" | "MN" | "MO" | "MP" | "MQ" | "MR" | "MS" | "MT" | "MU" | "MV" | "MW" | "MX" | "MY" | "MZ" | "NA" | "NC" | "NE" | "NF" | "NG" | "NI" | "NL" | "NO" | "NP" | "NR" | "NU" | "NZ" | "OM" | "PA" | "PE" | "PF" | "PG" | "PH" | "PK" | "PL" | "PM" | "PN" | "PR" | "PS" | "PT" | "PW" | "PY" | "QA" | "RE" | "RO" | "RS" | "RU" | "RW" | "SA" | "SB" | "SC" | "SD" | "SE" | "SG" | "SH" | "SI" | "SJ" | "SK" | "SL" | "SM" | "SN" | "SO" | "SR" | "SS" | "ST" | "SV" | "SX" | "SY" | "SZ" | "TC" | "TD" | "TF" | "TG" | "TH" | "TJ" | "TK" | "TL" | "TM" | "TN" | "TO" | "TR" | "TT" | "TV" | "TW" | "TZ" | "UA" | "UG" | "UM" | "US" | "UY" | "UZ" | "VA" | "VC" | "VE" | "VG" | "VI" | "VN" | "VU" | "WF" | "WS" | "YE" | "YT" | "ZA" | "ZM" | "ZW";
            /** Phone */
            phone?: string | null;
        };
        /**
         * StatusChange
         * @example {
         *       "note": "Paid by bank transfer.",
         *       "status": "confirmed"
         *     }
         */
        StatusChange: {
            /** Status */
            status: string;
            /** Note */
            note?: string | null;
        };
        /** StatusCount */
        StatusCount: {
            /** Code */
            code: string;
            /** Name */
            name: string;
            /** Colour */
            colour: string;
            /** Count */
            count: number;
        };
        /** StatusCreate */
        StatusCreate: {
            /**
             * Code
             * @description Lower-case letters, digits and underscores, starting with a letter.
             * @example confirmed
             */
            code: string;
            /** Name */
            name: string;
            /** Customer Name */
            customer_name?: string | null;
            /** Customer Description */
            customer_description?: string | null;
            /**
             * Colour
             * @default #64748b
             * @example #2563eb
             */
            colour: string;
            /**
             * Is Initial
             * @description Orders start here. Setting it moves the flag from the current initial status; the first status created is initial whatever this says.
             * @default false
             */
            is_initial: boolean;
            /**
             * Is Terminal
             * @default false
             */
            is_terminal: boolean;
            /**
             * Releases Stock
             * @description Entering this status gives the order's stock back.
             * @default false
             */
            releases_stock: boolean;
            /** Position */
            position?: number | null;
        };
        /**
         * StatusEntry
         * @description An order status; the document's order of statuses is their display order.
         */
        StatusEntry: {
            /**
             * Code
             * @description Lower-case letters, digits and underscores, starting with a letter.
             * @example confirmed
             */
            code: string;
            /** Name */
            name: string;
            /** Customer Name */
            customer_name?: string | null;
            /** Customer Description */
            customer_description?: string | null;
            /**
             * Colour
             * @default #64748b
             */
            colour: string;
            /**
             * Initial
             * @description Orders start here; exactly one status.
             * @default false
             */
            initial: boolean;
            /**
             * Terminal
             * @description No transition leaves it.
             * @default false
             */
            terminal: boolean;
            /**
             * Releases Stock
             * @description Entering it gives stock back.
             * @default false
             */
            releases_stock: boolean;
        };
        /** StatusRead */
        StatusRead: {
            /** Code */
            code: string;
            /** Name */
            name: string;
            /** Customer Name */
            customer_name: string | null;
            /** Customer Description */
            customer_description: string | null;
            /** Colour */
            colour: string;
            /** Is Initial */
            is_initial: boolean;
            /** Is Terminal */
            is_terminal: boolean;
            /** Releases Stock */
            releases_stock: boolean;
            /** Position */
            position: number;
        };
        /** StatusUpdate */
        StatusUpdate: {
            /**
             * Code
             * @description Only while nothing uses it.
             */
            code?: string | null;
            /** Name */
            name?: string | null;
            /**
             * Customer Name
             * @description `null` clears it.
             */
            customer_name?: string | null;
            /**
             * Customer Description
             * @description `null` clears it.
             */
            customer_description?: string | null;
            /** Colour */
            colour?: string | null;
            /** Is Initial */
            is_initial?: boolean | null;
            /** Is Terminal */
            is_terminal?: boolean | null;
            /** Releases Stock */
            releases_stock?: boolean | null;
            /** Position */
            position?: number | null;
        };
        /** TargetStatus */
        TargetStatus: {
            /** Code */
            code: string;
            /** Name */
            name: string;
            /** Colour */
            colour: string;
            /** Is Terminal */
            is_terminal: boolean;
        };
        /** TestFireRead */
        TestFireRead: {
            /**
             * Event Id
             * Format: uuid
             */
            event_id: string;
            event_type: components["schemas"]["EventType"];
        };
        /** TestFireRequest */
        TestFireRequest: {
            /** @default order.status_changed */
            event_type: components["schemas"]["EventType"];
            /**
             * Status
             * @description The sample order's status; a status of the workflow.
             * @default confirmed
             * @example confirmed
             */
            status: string;
        };
        /**
         * TokenRead
         * @example {
         *       "access_token": "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiSldUIn0.eyJzdWIiOiI2YzFmMmQ5ZSIsInJvbGVzIjpbImN1c3RvbWVyIl19.c2lnbmF0dXJl",
         *       "expires_in": 300,
         *       "refresh_token": "Jm9vQmFyQmF6UXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbA",
         *       "token_type": "Bearer"
         *     }
         */
        TokenRead: {
            /** Access Token */
            access_token: string;
            /**
             * Token Type
             * @default Bearer
             * @constant
             */
            token_type: "Bearer";
            /**
             * Expires In
             * @description Seconds the access token is valid.
             */
            expires_in: number;
            /** Refresh Token */
            refresh_token: string;
        };
        /** TransitionCreate */
        TransitionCreate: {
            /**
             * From Status
             * @description Lower-case letters, digits and underscores, starting with a letter.
             * @example confirmed
             */
            from_status: string;
            /**
             * To Status
             * @description Lower-case letters, digits and underscores, starting with a letter.
             * @example confirmed
             */
            to_status: string;
            /** Roles */
            roles: components["schemas"]["Role"][];
        };
        /** TransitionEntry */
        TransitionEntry: {
            /**
             * From Status
             * @description Lower-case letters, digits and underscores, starting with a letter.
             * @example confirmed
             */
            from_status: string;
            /**
             * To Status
             * @description Lower-case letters, digits and underscores, starting with a letter.
             * @example confirmed
             */
            to_status: string;
            /**
             * Roles
             * @description Who may take it.
             */
            roles: components["schemas"]["Role"][];
        };
        /** TransitionRead */
        TransitionRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** From Status */
            from_status: string;
            /** To Status */
            to_status: string;
            /** Roles */
            roles: string[];
        };
        /** TransitionUpdate */
        TransitionUpdate: {
            /** Roles */
            roles: components["schemas"]["Role"][];
        };
        /** UserCreate */
        UserCreate: {
            /**
             * Email
             * Format: email
             */
            email: string;
            /**
             * Password
             * @description At least 12 characters.
             */
            password: string;
            /**
             * Full Name
             * @default
             */
            full_name: string;
            /** Roles */
            roles: components["schemas"]["Role"][];
        };
        /** UserRead */
        UserRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Email */
            email: string;
            /** Full Name */
            full_name: string;
            /** Roles */
            roles: components["schemas"]["Role"][];
            /** Is Active */
            is_active: boolean;
            /** External Subject */
            external_subject: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /** UserUpdate */
        UserUpdate: {
            /** Full Name */
            full_name?: string | null;
            /** Roles */
            roles?: components["schemas"]["Role"][] | null;
            /** Is Active */
            is_active?: boolean | null;
            /** Password */
            password?: string | null;
        };
        /** WebhookConfigurationCreate */
        WebhookConfigurationCreate: {
            /** Name */
            name: string;
            /**
             * Enabled
             * @default true
             */
            enabled: boolean;
            /**
             * Trigger Events
             * @description Event types that trigger it; empty: all.
             * @default []
             */
            trigger_events: components["schemas"]["EventType"][];
            /**
             * Trigger Statuses
             * @description Order statuses (after the event) that trigger it; empty: all. Each must be a status of the workflow.
             * @default []
             */
            trigger_statuses: string[];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            worker_type: "webhook";
            settings: components["schemas"]["WebhookSettings"];
        };
        /** WebhookConfigurationRead */
        WebhookConfigurationRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Name */
            name: string;
            /** Enabled */
            enabled: boolean;
            /** Trigger Events */
            trigger_events: components["schemas"]["EventType"][];
            /** Trigger Statuses */
            trigger_statuses: string[];
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            worker_type: "webhook";
            /** @description The secret is masked. */
            settings: components["schemas"]["WebhookSettings"];
        };
        /** WebhookConfigurationUpdate */
        WebhookConfigurationUpdate: {
            /** Name */
            name?: string | null;
            /** Enabled */
            enabled?: boolean | null;
            /** Trigger Events */
            trigger_events?: components["schemas"]["EventType"][] | null;
            /** Trigger Statuses */
            trigger_statuses?: string[] | null;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            worker_type: "webhook";
            settings?: components["schemas"]["WebhookSettings"] | null;
        };
        /** WebhookSettings */
        WebhookSettings: {
            /**
             * Url
             * Format: uri
             */
            url: string;
            /**
             * Secret
             * @description whsec_…; generated when absent. Reads show it masked; sending the masked value back (or leaving it out) on an update keeps it.
             */
            secret?: string | null;
            /**
             * Timeout Seconds
             * @default 10
             */
            timeout_seconds: number;
        };
        /** WebhookWorker */
        WebhookWorker: {
            /** Name */
            name: string;
            /**
             * Enabled
             * @default true
             */
            enabled: boolean;
            /**
             * Trigger Events
             * @description Event types that trigger it; empty: all.
             * @default []
             */
            trigger_events: components["schemas"]["EventType"][];
            /**
             * Trigger Statuses
             * @description Statuses of this document that trigger it; empty: all.
             * @default []
             */
            trigger_statuses: string[];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            worker_type: "webhook";
            settings: components["schemas"]["WebhookWorkerSettings"];
        };
        /**
         * WebhookWorkerSettings
         * @description A webhook worker's settings as the document writes them: the secret is a reference.
         */
        WebhookWorkerSettings: {
            /**
             * Url
             * Format: uri
             */
            url: string;
            /**
             * Secret
             * @description Absent: the stored secret is kept, or one is generated.
             */
            secret?: string | null;
            /**
             * Timeout Seconds
             * @default 10
             */
            timeout_seconds: number;
        };
        /**
         * WorkerConfigurationPage
         * @description `Page[WorkerConfigurationRead]` under a name of its own: its items are a union, from
         *     which the OpenAPI document would otherwise get an unreadable generated schema name.
         */
        WorkerConfigurationPage: {
            /** Items */
            items: (components["schemas"]["EmailConfigurationRead"] | components["schemas"]["WebhookConfigurationRead"] | components["schemas"]["InventoryConfigurationRead"])[];
            /** Next Cursor */
            next_cursor: string | null;
        };
        /**
         * WorkerType
         * @description The kinds of worker; each consumes every event from a queue of its own.
         * @enum {string}
         */
        WorkerType: "email" | "webhook" | "inventory";
        /**
         * WorkflowGraph
         * @description Statuses as nodes, transitions as edges, and what is wrong with the whole.
         */
        WorkflowGraph: {
            /** Statuses */
            statuses: components["schemas"]["StatusRead"][];
            /** Transitions */
            transitions: components["schemas"]["TransitionRead"][];
            /** Problems */
            problems: components["schemas"]["GraphProblemRead"][];
        };
    };
    responses: {
        /** @description The path does not serve this method; `Allow` names those it does. */
        MethodNotAllowed: {
            headers: {
                /** @description Every method the path serves, comma-separated. */
                Allow: string;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthRead"];
                };
            };
            /** @description Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthRead"];
                };
            };
        };
    };
    getLiveness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthRead"];
                };
            };
            /** @description Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getJwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description OMS signs users in through an OpenID provider here: its own sign-in is off. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    signIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Email */
                    email: string;
                    /** Password */
                    password: string;
                };
                "application/x-www-form-urlencoded": {
                    /** @enum {string} */
                    grant_type?: "password";
                    /** @description The email. */
                    username: string;
                    /** Format: password */
                    password: string;
                };
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Wrong email or password. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description OMS signs users in through an OpenID provider here: its own sign-in is off. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Sign-in from this address is paused after failed attempts, or too many attempts; see `Retry-After`. Too many password checks from this client address; see `Retry-After`. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    refreshTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The refresh token is invalid, expired or revoked. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description OMS signs users in through an OpenID provider here: its own sign-in is off. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    signOut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description OMS signs users in through an OpenID provider here: its own sign-in is off. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    registerCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Registration"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    /** @description The URL of what was created. */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Self-registration is switched off. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description OMS signs users in through an OpenID provider here: its own sign-in is off. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A user with this email exists. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getClientConfig: {
        parameters: {
            query?: {
                /** @description The app asking: whose client id. */
                app?: "customer" | "admin";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientConfig"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createBrowserSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Credentials"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionTokenRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Wrong email or password. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request came from another site (`Origin`, `Sec-Fetch-Site`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description OMS signs users in through an OpenID provider here: its own sign-in is off. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Sign-in from this address is paused after failed attempts, or too many attempts; see `Retry-After`. Too many password checks from this client address; see `Retry-After`. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    endBrowserSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `X-CSRF-Token` does not repeat the `oms_csrf` cookie, or the request is cross-site. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description OMS signs users in through an OpenID provider here: its own sign-in is off. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    refreshBrowserSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionTokenRead"];
                };
            };
            /** @description Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid refresh cookie (missing, expired, revoked): the cookies are cleared. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `X-CSRF-Token` does not repeat the `oms_csrf` cookie, or the request is cross-site. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description OMS signs users in through an OpenID provider here: its own sign-in is off. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    requestPasswordReset: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordResetRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PasswordResetAccepted"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description OMS signs users in through an OpenID provider here: its own sign-in is off. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many reset requests for this email or from this address; see `Retry-After`. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    confirmPasswordReset: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordResetConfirm"];
            };
        };
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). The reset token is unknown, used or expired (`invalid-reset-token`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description OMS signs users in through an OpenID provider here: its own sign-in is off. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listUsers: {
        parameters: {
            query?: {
                role?: components["schemas"]["Role"];
                active?: boolean;
                /** @description Part of email or name. */
                q?: string;
                /** @description `next_cursor` of the previous page; omit it for the first page. */
                cursor?: string;
                /** @description Items per page, 1 to 100. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_UserRead_"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. The `cursor` is not one this listing issued. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `users:manage`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The identity provider's keys cannot be fetched (OpenID Connect mode). The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createUser: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key and body answer the first response again (kept 24 h). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    /** @description The URL of what was created. */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). The Idempotency-Key is not 1 to 255 visible ASCII characters. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `users:manage`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A user with this email exists. A request with this Idempotency-Key is still in flight; retry after `Retry-After` seconds. */
            409: {
                headers: {
                    /** @description When the Idempotency-Key is in flight: seconds to wait before sending the request again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This Idempotency-Key was used with another request; use a new key. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The identity provider's keys cannot be fetched (OpenID Connect mode). The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `users:manage`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `user_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The identity provider's keys cannot be fetched (OpenID Connect mode). The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `users:manage`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `user_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The change would leave OMS without an active admin. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The identity provider's keys cannot be fetched (OpenID Connect mode). The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    unlockUserSignIn: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `users:manage`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `user_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The identity provider's keys cannot be fetched (OpenID Connect mode). The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMyProfile: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProfileRead"];
                };
            };
            /** @description Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `profile`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The identity provider's keys cannot be fetched (OpenID Connect mode). The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateMyProfile: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProfileUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProfileRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). The current password is wrong. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `profile`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The password is managed by the identity provider. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many password changes by this user or from this address; see `Retry-After`. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The identity provider's keys cannot be fetched (OpenID Connect mode). The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getBranding: {
        parameters: {
            query?: never;
            header?: {
                /** @description An ETag you hold: 304 if current. */
                "If-None-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BrandingRead"];
                };
            };
            /** @description If-None-Match matched: your copy is current. */
            304: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    replaceBranding: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag you read: 412 if stale. */
                "If-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BrandingWrite"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BrandingRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `If-Match` does not match the current `ETag`; read it again. If-Match does not match: someone changed the branding since you read it. */
            412: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match is missing. */
            428: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    uploadBrandingImage: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag you read: 412 if stale. */
                "If-Match"?: string;
            };
            path: {
                /** @description Which image. */
                image: "logo" | "favicon";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "image/jpeg": string;
                "image/png": string;
                "image/svg+xml": string;
                "image/webp": string;
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BrandingRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). The bytes are not an image of the type sent. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `image` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `If-Match` does not match the current `ETag`; read it again. If-Match does not match: someone changed the branding since you read it. */
            412: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). The image is larger than `OMS_MAX_IMAGE_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Content-Type is not PNG, JPEG, WebP or SVG. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match is missing. */
            428: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    removeBrandingImage: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag you read: 412 if stale. */
                "If-Match"?: string;
            };
            path: {
                /** @description Which image. */
                image: "logo" | "favicon";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BrandingRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `image` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `If-Match` does not match the current `ETag`; read it again. If-Match does not match: someone changed the branding since you read it. */
            412: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description If-Match is missing. */
            428: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getBrandingAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description SHA-256 of the bytes. */
                digest: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The image. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/jpeg": string;
                    "image/png": string;
                    "image/svg+xml": string;
                    "image/webp": string;
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `digest` given, or not yours to see. No image has this digest. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listCategories: {
        parameters: {
            query?: {
                /** @description `next_cursor` of the previous page; omit it for the first page. */
                cursor?: string;
                /** @description Items per page, 1 to 100. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_CategoryRead_"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. The `cursor` is not one this listing issued. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `catalogue:read`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createCategory: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key and body answer the first response again (kept 24 h). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CategoryCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    /** @description The URL of what was created. */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CategoryRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). `attribute_schema` is not a valid JSON Schema (2020-12). The Idempotency-Key is not 1 to 255 visible ASCII characters. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `catalogue:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A category with this code exists. A request with this Idempotency-Key is still in flight; retry after `Retry-After` seconds. */
            409: {
                headers: {
                    /** @description When the Idempotency-Key is in flight: seconds to wait before sending the request again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This Idempotency-Key was used with another request; use a new key. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCategory: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                category_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CategoryRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `catalogue:read`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `category_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteCategory: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                category_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `catalogue:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `category_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Products use the category. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateCategory: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag you read: 412 if stale. */
                "If-Match"?: string;
            };
            path: {
                category_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CategoryUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CategoryRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). `attribute_schema` is not a valid JSON Schema (2020-12). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `catalogue:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `category_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The new code is taken, or products use the category (so its code cannot change), or the new schema rejects some of its products (`products` lists them). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `If-Match` does not match the current `ETag`; read it again. */
            412: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The new attribute schema cannot be applied (a `$ref` does not resolve). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    checkCategorySchema: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                category_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SchemaCheckRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SchemaCheckRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). The body is not `{attribute_schema: <object>}`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `catalogue:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `category_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listProducts: {
        parameters: {
            query?: {
                /** @description Category id or code. */
                category?: string;
                /** @description Staff only; customers see active. */
                active?: boolean;
                min_price?: string;
                max_price?: string;
                /** @description Text in the SKU or name. */
                q?: string;
                /** @description JSON object of attribute filters, checked against the schema of `category`. */
                attributes?: string;
                /** @description `next_cursor` of the previous page; omit it for the first page. */
                cursor?: string;
                /** @description Items per page, 1 to 100. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_ProductRead_"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. The `cursor` is not one this listing issued. Text in the path, the query or the body holds a NUL character (U+0000). An `attr.<name>` filter is not valid, or `attributes` is not JSON, comes without `category`, or names an attribute the category's schema lacks or a value of the wrong type (`errors` names `attributes.<name>`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `catalogue:read`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createProduct: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key and body answer the first response again (kept 24 h). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProductCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    /** @description The URL of what was created. */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProductRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). The attributes do not satisfy the category's attribute schema. The Idempotency-Key is not 1 to 255 visible ASCII characters. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `catalogue:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A product with this SKU exists. A request with this Idempotency-Key is still in flight; retry after `Retry-After` seconds. */
            409: {
                headers: {
                    /** @description When the Idempotency-Key is in flight: seconds to wait before sending the request again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `category_id` names no category, or the category's attribute schema cannot be applied. This Idempotency-Key was used with another request; use a new key. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    importProducts: {
        parameters: {
            query?: {
                /** @description The file line of the body's first data row, for a file sent in chunks (each with the header row): rows are numbered from it. */
                first_row?: number;
                /** @description Report what the import would do, and keep nothing. */
                dry_run?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description A CSV file in UTF-8 with a header row (docs/catalogue.md). */
        requestBody: {
            content: {
                /**
                 * @example sku,name,price,stock,category,active,attributes
                 *     FUR-CHAIR-OAK,Oak dining chair,149.00,40,furniture,true,"{""material"": ""oak""}"
                 */
                "text/csv": string;
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProductImportRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). The file cannot be read as a whole (`line` and `reason` say where and why): not UTF-8, a NUL character, broken quoting, no header row, an unknown or repeated column, or no `sku` column. Nothing is imported. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `catalogue:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). More than 1000 rows (`max_rows`): send them in chunks. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not `text/csv` in UTF-8. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getProduct: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                product_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProductRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `catalogue:read`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `product_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    archiveProduct: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                product_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `catalogue:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `product_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateProduct: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag you read: 412 if stale. */
                "If-Match"?: string;
            };
            path: {
                product_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProductUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProductRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). The attributes do not satisfy the category's attribute schema. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `catalogue:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `product_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A product with this SKU exists. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `If-Match` does not match the current `ETag`; read it again. */
            412: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `category_id` names no category, or the category's attribute schema cannot be applied. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    addProductImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                product_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "image/jpeg": string;
                "image/png": string;
                "image/webp": string;
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    /** @description The URL of what was created. */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProductRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). The bytes are not an image of the type sent. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `catalogue:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `product_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The product has 8 images already (`limit`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). The image is larger than `OMS_MAX_IMAGE_BYTES`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Content-Type is not PNG, JPEG or WebP. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    removeProductImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                product_id: string;
                image_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProductRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `catalogue:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `product_id` and `image_id` given, or not yours to see. The product, or the image on it, does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getProductImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description SHA-256 of the bytes. */
                digest: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The image. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/jpeg": string;
                    "image/png": string;
                    "image/webp": string;
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `digest` given, or not yours to see. No product image has this digest. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWorkerConfigurations: {
        parameters: {
            query?: {
                worker_type?: components["schemas"]["WorkerType"];
                /** @description `next_cursor` of the previous page; omit it for the first page. */
                cursor?: string;
                /** @description Items per page, 1 to 100. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkerConfigurationPage"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. The `cursor` is not one this listing issued. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:read`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createWorkerConfiguration: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key and body answer the first response again (kept 24 h). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmailConfigurationCreate"] | components["schemas"]["WebhookConfigurationCreate"] | components["schemas"]["InventoryConfigurationCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    /** @description The URL of what was created. */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailConfigurationRead"] | components["schemas"]["WebhookConfigurationRead"] | components["schemas"]["InventoryConfigurationRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). `trigger_statuses` names a status the workflow lacks, or a secret is given masked. The Idempotency-Key is not 1 to 255 visible ASCII characters. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A configuration of this type has this name. A request with this Idempotency-Key is still in flight; retry after `Retry-After` seconds. */
            409: {
                headers: {
                    /** @description When the Idempotency-Key is in flight: seconds to wait before sending the request again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This Idempotency-Key was used with another request; use a new key. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWorkerConfiguration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                configuration_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailConfigurationRead"] | components["schemas"]["WebhookConfigurationRead"] | components["schemas"]["InventoryConfigurationRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:read`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `configuration_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteWorkerConfiguration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                configuration_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `configuration_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateWorkerConfiguration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                configuration_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmailConfigurationUpdate"] | components["schemas"]["WebhookConfigurationUpdate"] | components["schemas"]["InventoryConfigurationUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailConfigurationRead"] | components["schemas"]["WebhookConfigurationRead"] | components["schemas"]["InventoryConfigurationRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). `trigger_statuses` names a status the workflow lacks, or a secret is given masked. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `configuration_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Another configuration of this type has this name, or `worker_type` is not the configuration's. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    fireTestEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                configuration_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["TestFireRequest"] | null;
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TestFireRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). `status` is not a status of the workflow. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `configuration_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listDeliveries: {
        parameters: {
            query?: {
                status?: "succeeded" | "failed" | "dead";
                worker?: components["schemas"]["WorkerType"];
                order_id?: string;
                event_id?: string;
                configuration_id?: string;
                /** @description `next_cursor` of the previous page; omit it for the first page. */
                cursor?: string;
                /** @description Items per page, 1 to 100. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_DeliveryRead_"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. The `cursor` is not one this listing issued. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:read`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    replayDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                delivery_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReplayRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `delivery_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The delivery cannot be replayed: it did not fail, a later attempt succeeded, or its configuration or event is gone. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSentEmails: {
        parameters: {
            query?: {
                /** @description `next_cursor` of the previous page; omit it for the first page. */
                cursor?: string;
                /** @description Items per page, 1 to 100. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_SentEmailRead_"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. The `cursor` is not one this listing issued. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:read`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listEmailTemplates: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailTemplateRead"][];
                };
            };
            /** @description Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:read`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getEmailTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description `order_created`, a status code (`shipped`), `status_changed`, or a key a configuration's `template` names. */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailTemplateRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:read`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `key` given, or not yours to see. No template has this key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putEmailTemplate: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag you read: 412 if stale. */
                "If-Match"?: string;
            };
            path: {
                /** @description `order_created`, a status code (`shipped`), `status_changed`, or a key a configuration's `template` names. */
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmailTemplateWrite"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailTemplateRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). A part does not parse, or does not render against a sample order (`errors` names the part, the line and the reason), or it reaches for what the sandbox forbids. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `key` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description 200 templates are edited already (`limit`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `If-Match` does not match the current `ETag`; read it again. If-Match does not match: someone changed the template since you read it. */
            412: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    resetEmailTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description `order_created`, a status code (`shipped`), `status_changed`, or a key a configuration's `template` names. */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `key` given, or not yours to see. The template was never edited. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    previewEmailTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description `order_created`, a status code (`shipped`), `status_changed`, or a key a configuration's `template` names. */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["EmailTemplateWrite"] | null;
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RenderedEmailRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). A part does not parse, or does not render against a sample order (`errors` names the part, the line and the reason), or it reaches for what the sandbox forbids. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:read`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `key` given, or not yours to see. No template has this key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    previewEmailWithBranding: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description `order_created`, a status code (`shipped`), `status_changed`, or a key a configuration's `template` names. */
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BrandingWrite"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RenderedEmailRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). The template does not render with this branding (`errors` names the part, the line and the reason), or the locale is not one OMS knows. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:read`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `key` given, or not yours to see. No template has this key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listCustomerStatuses: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerStatusRead"][];
                };
            };
            /** @description Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWorkflowGraph: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowGraph"];
                };
            };
            /** @description Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:read`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWorkflowStatuses: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatusRead"][];
                };
            };
            /** @description Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:read`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createWorkflowStatus: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key and body answer the first response again (kept 24 h). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StatusCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    /** @description The URL of what was created. */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatusRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). The Idempotency-Key is not 1 to 255 visible ASCII characters. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A status with this code exists, it would be both initial and terminal, another initial status was set at the same time, or the workflow has its maximum of statuses (`limit`). A request with this Idempotency-Key is still in flight; retry after `Retry-After` seconds. */
            409: {
                headers: {
                    /** @description When the Idempotency-Key is in flight: seconds to wait before sending the request again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This Idempotency-Key was used with another request; use a new key. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWorkflowStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatusRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:read`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `code` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteWorkflowStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `code` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Orders or transitions use the status, or it is the initial one of several. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateWorkflowStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StatusUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatusRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `code` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The change would leave no initial status, make it initial and terminal or terminal with exits, or re-code a status in use or to a code taken. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWorkflowTransitions: {
        parameters: {
            query?: {
                /** @description Only transitions from or to it. */
                status?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransitionRead"][];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:read`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createWorkflowTransition: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key and body answer the first response again (kept 24 h). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TransitionCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    /** @description The URL of what was created. */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransitionRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). The Idempotency-Key is not 1 to 255 visible ASCII characters. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The transition exists, it would leave a terminal status, or the workflow has its maximum of transitions (`limit`). A request with this Idempotency-Key is still in flight; retry after `Retry-After` seconds. */
            409: {
                headers: {
                    /** @description When the Idempotency-Key is in flight: seconds to wait before sending the request again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `from_status` or `to_status` names no status. This Idempotency-Key was used with another request; use a new key. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWorkflowTransition: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                transition_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransitionRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:read`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `transition_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteWorkflowTransition: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                transition_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `transition_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateWorkflowTransition: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                transition_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TransitionUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransitionRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `transition_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listOrders: {
        parameters: {
            query?: {
                /** @description The order of the list: by `created_at`, `total` or `number`, descending with a leading `-`. A cursor belongs to the sort it was issued for. */
                sort?: components["schemas"]["OrderSort"];
                /** @description Items per page, 1 to 100. */
                limit?: number;
                /** @description `next_cursor` of the previous page; omit it for the first page. */
                cursor?: string;
                /** @description Any of these statuses. */
                status?: string[];
                /** @description Staff: one customer's. */
                customer_id?: string;
                /** @description Created at or after. */
                created_from?: string;
                /** @description Created before. */
                created_to?: string;
                /** @description An order number (`OMS-000123` or `123`), or part of the customer's email or name: at least 3 letters or digits in a row. */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_OrderSummary_"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. The `cursor` is not one this listing issued. Text in the path, the query or the body holds a NUL character (U+0000). `q` is neither an order number nor 3 letters or digits in a row (`search-too-short`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `orders:read-own`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createOrder: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key and body answer the first response again (kept 24 h). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OrderCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    /** @description The URL of what was created. */
                    Location: string;
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). The Idempotency-Key is not 1 to 255 visible ASCII characters. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Only staff may place an order for another customer (`customer_id`). The token lacks the permission `orders:create`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not enough stock (`lines` names each short product with `requested` and `available`), or no initial order status is configured. A request with this Idempotency-Key is still in flight; retry after `Retry-After` seconds. */
            409: {
                headers: {
                    /** @description When the Idempotency-Key is in flight: seconds to wait before sending the request again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An item names an unknown or archived product, or `customer_id` no active user. This Idempotency-Key was used with another request; use a new key. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this user or client address; see `Retry-After`. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The identity provider's keys cannot be fetched (OpenID Connect mode). The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    quoteOrder: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["QuoteRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Quote"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Only staff may quote an order for another customer (`customer_id`). The token lacks the permission `orders:create`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An item names an unknown or archived product, or `customer_id` no active user. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    exportOrders: {
        parameters: {
            query?: {
                /** @description The order of the list: by `created_at`, `total` or `number`, descending with a leading `-`. A cursor belongs to the sort it was issued for. */
                sort?: components["schemas"]["OrderSort"];
                /** @description Any of these statuses. */
                status?: string[];
                /** @description Staff: one customer's. */
                customer_id?: string;
                /** @description Created at or after. */
                created_from?: string;
                /** @description Created before. */
                created_to?: string;
                /** @description An order number (`OMS-000123` or `123`), or part of the customer's email or name: at least 3 letters or digits in a row. */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A header line, then one line per order: `number, created_at, status, status_name, customer_email, customer_name, item_count, total, currency` (`item_count`: the units ordered). A cell that a spreadsheet would run as a formula starts with `'`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). `q` is neither an order number nor 3 letters or digits in a row (`search-too-short`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `orders:read-all`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    bulkChangeOrderStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkStatusChange"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkStatusResults"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). `order_ids` is empty, longer than 200 or names an order twice. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `orders:bulk-transition`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    followOrderEvents: {
        parameters: {
            query?: {
                /** @description Follow this order only. */
                order_id?: string;
            };
            header?: {
                /** @description The `id` of the last event received: the events of the last hour recorded after it are sent first. */
                "Last-Event-ID"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A stream of server-sent events, one per order event: `id` the outbox event id, `event` `order.created` or `order.status_changed`, `data` JSON `{order_id, number, status, previous_status (status changes), version, occurred_at}` (the schema below); a `: keep-alive` comment every 15 seconds. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["OrderEventMessage"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `orders:read-own`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOrder: {
        parameters: {
            query?: never;
            header?: {
                /** @description An ETag you hold: 304 if current. */
                "If-None-Match"?: string;
            };
            path: {
                order_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderRead"];
                };
            };
            /** @description If-None-Match matched: your copy is current. */
            304: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `orders:read-own`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `order_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    changeOrderStatus: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag you read: 412 if stale. */
                "If-Match"?: string;
            };
            path: {
                order_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StatusChange"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `orders:transition`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `order_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The transition is not allowed (`allowed_targets` lists the options), or the stock it takes back is gone. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `If-Match` does not match the current `ETag`; read it again. */
            412: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The stock it takes back is of a product no longer sold. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listOrderTransitions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                order_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TargetStatus"][];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `orders:read-own`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `order_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listOrderNotes: {
        parameters: {
            query?: {
                /** @description Items per page, 1 to 100. */
                limit?: number;
                /** @description `next_cursor` of the previous page; omit it for the first page. */
                cursor?: string;
            };
            header?: never;
            path: {
                order_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_OrderNoteRead_"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. The `cursor` is not one this listing issued. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `orders:notes`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `order_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    addOrderNote: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key and body answer the first response again (kept 24 h). */
                "Idempotency-Key"?: string;
            };
            path: {
                order_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OrderNoteCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    /** @description The URL of what was created. */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderNoteRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). The Idempotency-Key is not 1 to 255 visible ASCII characters. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `orders:notes`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `order_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A request with this Idempotency-Key is still in flight; retry after `Retry-After` seconds. */
            409: {
                headers: {
                    /** @description When the Idempotency-Key is in flight: seconds to wait before sending the request again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This Idempotency-Key was used with another request; use a new key. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOrderNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                order_id: string;
                note_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderNoteRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `orders:notes`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `order_id` and `note_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteOrderNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                order_id: string;
                note_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Only the note's author, or an admin, may delete it. The token lacks the permission `orders:notes`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `order_id` and `note_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSavedAddresses: {
        parameters: {
            query?: {
                /** @description `next_cursor` of the previous page; omit it for the first page. */
                cursor?: string;
                /** @description Items per page, 1 to 100. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_SavedAddressRead_"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. The `cursor` is not one this listing issued. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `profile`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createSavedAddress: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key and body answer the first response again (kept 24 h). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SavedAddressCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    /** @description The URL of what was created. */
                    Location: string;
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SavedAddressRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). The Idempotency-Key is not 1 to 255 visible ASCII characters. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `profile`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description You keep 20 addresses already (`limit`). A request with this Idempotency-Key is still in flight; retry after `Retry-After` seconds. */
            409: {
                headers: {
                    /** @description When the Idempotency-Key is in flight: seconds to wait before sending the request again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This Idempotency-Key was used with another request; use a new key. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSavedAddress: {
        parameters: {
            query?: never;
            header?: {
                /** @description An ETag you hold: 304 if current. */
                "If-None-Match"?: string;
            };
            path: {
                address_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SavedAddressRead"];
                };
            };
            /** @description If-None-Match matched: your copy is current. */
            304: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `profile`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `address_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteSavedAddress: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                address_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `profile`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `address_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateSavedAddress: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag you read: 412 if stale. */
                "If-Match"?: string;
            };
            path: {
                address_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SavedAddressUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SavedAddressRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `profile`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `address_id` given, or not yours to see. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `If-Match` does not match the current `ETag`; read it again. */
            412: {
                headers: {
                    /** @description The version of what is answered: send it back as `If-Match` to change it, or as `If-None-Match` to read it again only if it changed. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listCustomers: {
        parameters: {
            query?: {
                /** @description Part of the email or name, any case. */
                q?: string;
                /** @description `next_cursor` of the previous page; omit it for the first page. */
                cursor?: string;
                /** @description Items per page, 1 to 100. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_CustomerSummary_"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. The `cursor` is not one this listing issued. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `customers:read`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                customer_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `customers:read`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing found for the `customer_id` given, or not yours to see. No user with the customer role has this id. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAuditEntries: {
        parameters: {
            query?: {
                /** @description `next_cursor` of the previous page; omit it for the first page. */
                cursor?: string;
                /** @description Items per page, 1 to 100. */
                limit?: number;
                /** @description The acting user's id. */
                actor?: string;
                /** @description Kind of thing changed: `product`, ... */
                entity?: string;
                /** @description The changed thing's id or code. */
                entity_id?: string;
                /** @description What was done: `product.updated`, ... */
                action?: string;
                /** @description At or after this moment (with its offset). */
                since?: string;
                /** @description Before this moment (with its offset). */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_AuditEntryRead_"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. The `cursor` is not one this listing issued. Text in the path, the query or the body holds a NUL character (U+0000). The cursor is not one this listing issued. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `audit:read`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The identity provider's keys cannot be fetched (OpenID Connect mode). The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    exportAuditEntries: {
        parameters: {
            query?: {
                /** @description The acting user's id. */
                actor?: string;
                /** @description Kind of thing changed: `product`, ... */
                entity?: string;
                /** @description The changed thing's id or code. */
                entity_id?: string;
                /** @description What was done: `product.updated`, ... */
                action?: string;
                /** @description At or after this moment (with its offset). */
                since?: string;
                /** @description Before this moment (with its offset). */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One line per entry, newest first, after a header line. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `audit:read`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    exportConfiguration: {
        parameters: {
            query?: never;
            header?: {
                /** @description `application/yaml` for YAML. */
                accept?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConfigDocument"];
                    "application/yaml": string;
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    importConfiguration: {
        parameters: {
            query?: {
                /** @description Only check the document and list what would change. */
                dry_run?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The configuration document (`docs/config.schema.json`), as YAML or JSON. */
        requestBody: {
            content: {
                "application/yaml": string;
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportRead"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). The document is refused: `errors` lists every problem, each with its path. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `config:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than this API takes (`max_bytes`; `OMS_MAX_BODY_BYTES`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not YAML or JSON. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable or did not answer in time; retry after `Retry-After` seconds. The identity provider's keys cannot be fetched (OpenID Connect mode). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDashboard: {
        parameters: {
            query?: {
                /** @description IANA name of the time zone days and weeks are counted in (default: UTC). */
                tz?: "Africa/Abidjan" | "Africa/Accra" | "Africa/Addis_Ababa" | "Africa/Algiers" | "Africa/Asmara" | "Africa/Asmera" | "Africa/Bamako" | "Africa/Bangui" | "Africa/Banjul" | "Africa/Bissau" | "Africa/Blantyre" | "Africa/Brazzaville" | "Africa/Bujumbura" | "Africa/Cairo" | "Africa/Casablanca" | "Africa/Ceuta" | "Africa/Conakry" | "Africa/Dakar" | "Africa/Dar_es_Salaam" | "Africa/Djibouti" | "Africa/Douala" | "Africa/El_Aaiun" | "Africa/Freetown" | "Africa/Gaborone" | "Africa/Harare" | "Africa/Johannesburg" | "Africa/Juba" | "Africa/Kampala" | "Africa/Khartoum" | "Africa/Kigali" | "Africa/Kinshasa" | "Africa/Lagos" | "Africa/Libreville" | "Africa/Lome" | "Africa/Luanda" | "Africa/Lubumbashi" | "Africa/Lusaka" | "Africa/Malabo" | "Africa/Maputo" | "Africa/Maseru" | "Africa/Mbabane" | "Africa/Mogadishu" | "Africa/Monrovia" | "Africa/Nairobi" | "Africa/Ndjamena" | "Africa/Niamey" | "Africa/Nouakchott" | "Africa/Ouagadougou" | "Africa/Porto-Novo" | "Africa/Sao_Tome" | "Africa/Timbuktu" | "Africa/Tripoli" | "Africa/Tunis" | "Africa/Windhoek" | "America/Adak" | "America/Anchorage" | "America/Anguilla" | "America/Antigua" | "America/Araguaina" | "America/Argentina/Buenos_Aires" | "America/Argentina/Catamarca" | "America/Argentina/ComodRivadavia" | "America/Argentina/Cordoba" | "America/Argentina/Jujuy" | "America/Argentina/La_Rioja" | "America/Argentina/Mendoza" | "America/Argentina/Rio_Gallegos" | "America/Argentina/Salta" | "America/Argentina/San_Juan" | "America/Argentina/San_Luis" | "America/Argentina/Tucuman" | "America/Argentina/Ushuaia" | "America/Aruba" | "America/Asuncion" | "America/Atikokan" | "America/Atka" | "America/Bahia" | "America/Bahia_Banderas" | "America/Barbados" | "America/Belem" | "America/Belize" | "America/Blanc-Sablon" | "America/Boa_Vista" | "America/Bogota" | "America/Boise" | "America/Buenos_Aires" | "America/Cambridge_Bay" | "America/Campo_Grande" | "America/Cancun" | "America/Caracas" | "America/Catamarca" | "America/Cayenne" | "America/Cayman" | "America/Chicago" | "America/Chihuahua" | "America/Ciudad_Juarez" | "America/Coral_Harbour" | "America/Cordoba" | "America/Costa_Rica" | "America/Coyhaique" | "America/Creston" | "America/Cuiaba" | "America/Curacao" | "America/Danmarkshavn" | "America/Dawson" | "America/Dawson_Creek" | "America/Denver" | "America/Detroit" | "America/Dominica" | "America/Edmonton" | "America/Eirunepe" | "America/El_Salvador" | "America/Ensenada" | "America/Fort_Nelson" | "America/Fort_Wayne" | "America/Fortaleza" | "America/Glace_Bay" | "America/Godthab" | "America/Goose_Bay" | "America/Grand_Turk" | "America/Grenada" | "America/Guadeloupe" | "America/Guatemala" | "America/Guayaquil" | "America/Guyana" | "America/Halifax" | "America/Havana" | "America/Hermosillo" | "America/Indiana/Indianapolis" | "America/Indiana/Knox" | "America/Indiana/Marengo" | "America/Indiana/Petersburg" | "America/Indiana/Tell_City" | "America/Indiana/Vevay" | "America/Indiana/Vincennes" | "America/Indiana/Winamac" | "America/Indianapolis" | "America/Inuvik" | "America/Iqaluit" | "America/Jamaica" | "America/Jujuy" | "America/Juneau" | "America/Kentucky/Louisville" | "America/Kentucky/Monticello" | "America/Knox_IN" | "America/Kralendijk" | "America/La_Paz" | "America/Lima" | "America/Los_Angeles" | "America/Louisville" | "America/Lower_Princes" | "America/Maceio" | "America/Managua" | "America/Manaus" | "America/Marigot" | "America/Martinique" | "America/Matamoros" | "America/Mazatlan" | "America/Mendoza" | "America/Menominee" | "America/Merida" | "America/Metlakatla" | "America/Mexico_City" | "America/Miquelon" | "America/Moncton" | "America/Monterrey" | "America/Montevideo" | "America/Montreal" | "America/Montserrat" | "America/Nassau" | "America/New_York" | "America/Nipigon" | "America/Nome" | "America/Noronha" | "America/North_Dakota/Beulah" | "America/North_Dakota/Center" | "America/North_Dakota/New_Salem" | "America/Nuuk" | "America/Ojinaga" | "America/Panama" | "America/Pangnirtung" | "America/Paramaribo" | "America/Phoenix" | "America/Port-au-Prince" | "America/Port_of_Spain" | "America/Porto_Acre" | "America/Porto_Velho" | "America/Puerto_Rico" | "America/Punta_Arenas" | "America/Rainy_River" | "America/Rankin_Inlet" | "America/Recife" | "America/Regina" | "America/Resolute" | "America/Rio_Branco" | "America/Rosario" | "America/Santa_Isabel" | "America/Santarem" | "America/Santiago" | "America/Santo_Domingo" | "America/Sao_Paulo" | "America/Scoresbysund" | "America/Shiprock" | "America/Sitka" | "America/St_Barthelemy" | "America/St_Johns" | "America/St_Kitts" | "America/St_Lucia" | "America/St_Thomas" | "America/St_Vincent" | "America/Swift_Current" | "America/Tegucigalpa" | "America/Thule" | "America/Thunder_Bay" | "America/Tijuana" | "America/Toronto" | "America/Tortola" | "America/Vancouver" | "America/Virgin" | "America/Whitehorse" | "America/Winnipeg" | "America/Yakutat" | "America/Yellowknife" | "Antarctica/Casey" | "Antarctica/Davis" | "Antarctica/DumontDUrville" | "Antarctica/Macquarie" | "Antarctica/Mawson" | "Antarctica/McMurdo" | "Antarctica/Palmer" | "Antarctica/Rothera" | "Antarctica/South_Pole" | "Antarctica/Syowa" | "Antarctica/Troll" | "Antarctica/Vostok" | "Arctic/Longyearbyen" | "Asia/Aden" | "Asia/Almaty" | "Asia/Amman" | "Asia/Anadyr" | "Asia/Aqtau" | "Asia/Aqtobe" | "Asia/Ashgabat" | "Asia/Ashkhabad" | "Asia/Atyrau" | "Asia/Baghdad" | "Asia/Bahrain" | "Asia/Baku" | "Asia/Bangkok" | "Asia/Barnaul" | "Asia/Beirut" | "Asia/Bishkek" | "Asia/Brunei" | "Asia/Calcutta" | "Asia/Chita" | "Asia/Choibalsan" | "Asia/Chongqing" | "Asia/Chungking" | "Asia/Colombo" | "Asia/Dacca" | "Asia/Damascus" | "Asia/Dhaka" | "Asia/Dili" | "Asia/Dubai" | "Asia/Dushanbe" | "Asia/Famagusta" | "Asia/Gaza" | "Asia/Harbin" | "Asia/Hebron" | "Asia/Ho_Chi_Minh" | "Asia/Hong_Kong" | "Asia/Hovd" | "Asia/Irkutsk" | "Asia/Istanbul" | "Asia/Jakarta" | "Asia/Jayapura" | "Asia/Jerusalem" | "Asia/Kabul" | "Asia/Kamchatka" | "Asia/Karachi" | "Asia/Kashgar" | "Asia/Kathmandu" | "Asia/Katmandu" | "Asia/Khandyga" | "Asia/Kolkata" | "Asia/Krasnoyarsk" | "Asia/Kuala_Lumpur" | "Asia/Kuching" | "Asia/Kuwait" | "Asia/Macao" | "Asia/Macau" | "Asia/Magadan" | "Asia/Makassar" | "Asia/Manila" | "Asia/Muscat" | "Asia/Nicosia" | "Asia/Novokuznetsk" | "Asia/Novosibirsk" | "Asia/Omsk" | "Asia/Oral" | "Asia/Phnom_Penh" | "Asia/Pontianak" | "Asia/Pyongyang" | "Asia/Qatar" | "Asia/Qostanay" | "Asia/Qyzylorda" | "Asia/Rangoon" | "Asia/Riyadh" | "Asia/Saigon" | "Asia/Sakhalin" | "Asia/Samarkand" | "Asia/Seoul" | "Asia/Shanghai" | "Asia/Singapore" | "Asia/Srednekolymsk" | "Asia/Taipei" | "Asia/Tashkent" | "Asia/Tbilisi" | "Asia/Tehran" | "Asia/Tel_Aviv" | "Asia/Thimbu" | "Asia/Thimphu" | "Asia/Tokyo" | "Asia/Tomsk" | "Asia/Ujung_Pandang" | "Asia/Ulaanbaatar" | "Asia/Ulan_Bator" | "Asia/Urumqi" | "Asia/Ust-Nera" | "Asia/Vientiane" | "Asia/Vladivostok" | "Asia/Yakutsk" | "Asia/Yangon" | "Asia/Yekaterinburg" | "Asia/Yerevan" | "Atlantic/Azores" | "Atlantic/Bermuda" | "Atlantic/Canary" | "Atlantic/Cape_Verde" | "Atlantic/Faeroe" | "Atlantic/Faroe" | "Atlantic/Jan_Mayen" | "Atlantic/Madeira" | "Atlantic/Reykjavik" | "Atlantic/South_Georgia" | "Atlantic/St_Helena" | "Atlantic/Stanley" | "Australia/ACT" | "Australia/Adelaide" | "Australia/Brisbane" | "Australia/Broken_Hill" | "Australia/Canberra" | "Australia/Currie" | "Australia/Darwin" | "Australia/Eucla" | "Australia/Hobart" | "Australia/LHI" | "Australia/Lindeman" | "Australia/Lord_Howe" | "Australia/Melbourne" | "Australia/NSW" | "Australia/North" | "Australia/Perth" | "Australia/Queensland" | "Australia/South" | "Australia/Sydney" | "Australia/Tasmania" | "Australia/Victoria" | "Australia/West" | "Australia/Yancowinna" | "Brazil/Acre" | "Brazil/DeNoronha" | "Brazil/East" | "Brazil/West" | "CET" | "CST6CDT" | "Canada/Atlantic" | "Canada/Central" | "Canada/Eastern" | "Canada/Mountain" | "Canada/Newfoundland" | "Canada/Pacific" | "Canada/Saskatchewan" | "Canada/Yukon" | "Chile/Continental" | "Chile/EasterIsland" | "Cuba" | "EET" | "EST" | "EST5EDT" | "Egypt" | "Eire" | "Etc/GMT" | "Etc/GMT+0" | "Etc/GMT+1" | "Etc/GMT+10" | "Etc/GMT+11" | "Etc/GMT+12" | "Etc/GMT+2" | "Etc/GMT+3" | "Etc/GMT+4" | "Etc/GMT+5" | "Etc/GMT+6" | "Etc/GMT+7" | "Etc/GMT+8" | "Etc/GMT+9" | "Etc/GMT-0" | "Etc/GMT-1" | "Etc/GMT-10" | "Etc/GMT-11" | "Etc/GMT-12" | "Etc/GMT-13" | "Etc/GMT-14" | "Etc/GMT-2" | "Etc/GMT-3" | "Etc/GMT-4" | "Etc/GMT-5" | "Etc/GMT-6" | "Etc/GMT-7" | "Etc/GMT-8" | "Etc/GMT-9" | "Etc/GMT0" | "Etc/Greenwich" | "Etc/UCT" | "Etc/UTC" | "Etc/Universal" | "Etc/Zulu" | "Europe/Amsterdam" | "Europe/Andorra" | "Europe/Astrakhan" | "Europe/Athens" | "Europe/Belfast" | "Europe/Belgrade" | "Europe/Berlin" | "Europe/Bratislava" | "Europe/Brussels" | "Europe/Bucharest" | "Europe/Budapest" | "Europe/Busingen" | "Europe/Chisinau" | "Europe/Copenhagen" | "Europe/Dublin" | "Europe/Gibraltar" | "Europe/Guernsey" | "Europe/Helsinki" | "Europe/Isle_of_Man" | "Europe/Istanbul" | "Europe/Jersey" | "Europe/Kaliningrad" | "Europe/Kiev" | "Europe/Kirov" | "Europe/Kyiv" | "Europe/Lisbon" | "Europe/Ljubljana" | "Europe/London" | "Europe/Luxembourg" | "Europe/Madrid" | "Europe/Malta" | "Europe/Mariehamn" | "Europe/Minsk" | "Europe/Monaco" | "Europe/Moscow" | "Europe/Nicosia" | "Europe/Oslo" | "Europe/Paris" | "Europe/Podgorica" | "Europe/Prague" | "Europe/Riga" | "Europe/Rome" | "Europe/Samara" | "Europe/San_Marino" | "Europe/Sarajevo" | "Europe/Saratov" | "Europe/Simferopol" | "Europe/Skopje" | "Europe/Sofia" | "Europe/Stockholm" | "Europe/Tallinn" | "Europe/Tirane" | "Europe/Tiraspol" | "Europe/Ulyanovsk" | "Europe/Uzhgorod" | "Europe/Vaduz" | "Europe/Vatican" | "Europe/Vienna" | "Europe/Vilnius" | "Europe/Volgograd" | "Europe/Warsaw" | "Europe/Zagreb" | "Europe/Zaporozhye" | "Europe/Zurich" | "Factory" | "GB" | "GB-Eire" | "GMT" | "GMT+0" | "GMT-0" | "GMT0" | "Greenwich" | "HST" | "Hongkong" | "Iceland" | "Indian/Antananarivo" | "Indian/Chagos" | "Indian/Christmas" | "Indian/Cocos" | "Indian/Comoro" | "Indian/Kerguelen" | "Indian/Mahe" | "Indian/Maldives" | "Indian/Mauritius" | "Indian/Mayotte" | "Indian/Reunion" | "Iran" | "Israel" | "Jamaica" | "Japan" | "Kwajalein" | "Libya" | "MET" | "MST" | "MST7MDT" | "Mexico/BajaNorte" | "Mexico/BajaSur" | "Mexico/General" | "NZ" | "NZ-CHAT" | "Navajo" | "PRC" | "PST8PDT" | "Pacific/Apia" | "Pacific/Auckland" | "Pacific/Bougainville" | "Pacific/Chatham" | "Pacific/Chuuk" | "Pacific/Easter" | "Pacific/Efate" | "Pacific/Enderbury" | "Pacific/Fakaofo" | "Pacific/Fiji" | "Pacific/Funafuti" | "Pacific/Galapagos" | "Pacific/Gambier" | "Pacific/Guadalcanal" | "Pacific/Guam" | "Pacific/Honolulu" | "Pacific/Johnston" | "Pacific/Kanton" | "Pacific/Kiritimati" | "Pacific/Kosrae" | "Pacific/Kwajalein" | "Pacific/Majuro" | "Pacific/Marquesas" | "Pacific/Midway" | "Pacific/Nauru" | "Pacific/Niue" | "Pacific/Norfolk" | "Pacific/Noumea" | "Pacific/Pago_Pago" | "Pacific/Palau" | "Pacific/Pitcairn" | "Pacific/Pohnpei" | "Pacific/Ponape" | "Pacific/Port_Moresby" | "Pacific/Rarotonga" | "Pacific/Saipan" | "Pacific/Samoa" | "Pacific/Tahiti" | "Pacific/Tarawa" | "Pacific/Tongatapu" | "Pacific/Truk" | "Pacific/Wake" | "Pacific/Wallis" | "Pacific/Yap" | "Poland" | "Portugal" | "ROC" | "ROK" | "Singapore" | "Turkey" | "UCT" | "US/Alaska" | "US/Aleutian" | "US/Arizona" | "US/Central" | "US/East-Indiana" | "US/Eastern" | "US/Hawaii" | "US/Indiana-Starke" | "US/Michigan" | "US/Mountain" | "US/Pacific" | "US/Samoa" | "UTC" | "Universal" | "W-SU" | "WET" | "Zulu" | "localtime";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Dashboard"];
                };
            };
            /** @description The request is not valid; `errors` names each field at fault. Text in the path, the query or the body holds a NUL character (U+0000). `tz` is not an IANA time zone name. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token. */
            401: {
                headers: {
                    /** @description How to authenticate: with a bearer token. */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token lacks the permission `orders:read-all`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the `X-Request-ID` header identifies it in the log. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The identity provider's keys cannot be fetched (OpenID Connect mode). The database is unreachable or did not answer in time; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
