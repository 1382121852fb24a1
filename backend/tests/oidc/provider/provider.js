// A real OpenID provider for the OMS tests: `oidc-provider` (a certified implementation)
// configured like deploy/keycloak/realm-oms.json. Public clients `oms-customer` and
// `oms-admin` with the authorization code flow and PKCE (S256) required; access tokens are
// RS256 JWTs for the audience `oms-api` carrying the realm roles at `realm_access.roles`,
// like Keycloak's. The test names the redirect URIs and the accounts in the environment:
//
//   OMS_TEST_OIDC_CONFIG='{"redirect_uris": ["http://localhost:5173/auth/callback"],
//     "post_logout_redirect_uris": ["http://localhost:5173/"],
//     "accounts": [{"email": "cora@example.com", "password": "…", "name": "Cora",
//                   "roles": ["customer"]}]}'
//
// (the post-logout redirect URIs default to the redirect URIs). Its pages load nothing from
// elsewhere, so that a browser test's console stays clean on them.
//
// It listens on a free port of 127.0.0.1 and prints one line when ready:
//   {"ready": true, "issuer": "http://127.0.0.1:<port>"}

import { generateKeyPairSync, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

import Provider from "oidc-provider";

const RESOURCE = "urn:oms:api";
const AUDIENCE = "oms-api";
const CLIENTS = ["oms-customer", "oms-admin"];

const config = JSON.parse(process.env.OMS_TEST_OIDC_CONFIG ?? "{}");
const redirectUris = config.redirect_uris ?? [];
const postLogoutRedirectUris = config.post_logout_redirect_uris ?? redirectUris;
const accounts = new Map(
  (config.accounts ?? []).map((account) => [
    account.email.toLowerCase(),
    { ...account, sub: account.sub ?? randomUUID() },
  ]),
);
const bySubject = new Map([...accounts.values()].map((account) => [account.sub, account]));

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function samePassword(given, expected) {
  const a = Buffer.from(String(given));
  const b = Buffer.from(String(expected));
  return a.length === b.length && timingSafeEqual(a, b);
}

// No favicon to fetch (and fail to find) on the provider's pages.
const HEAD = `<meta charset="utf-8"><link rel="icon" href="data:,">`;

function loginPage(uid, clientId, problem) {
  return `<!doctype html>
<html lang="en"><head>${HEAD}<title>Sign in to OMS</title></head>
<body>
<h1>Sign in</h1>
<p>to continue to ${escapeHtml(clientId)}</p>
${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ""}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
  <label>Email <input type="email" name="email" required autofocus></label>
  <label>Password <input type="password" name="password" required></label>
  <button type="submit">Sign in</button>
</form>
</body></html>`;
}

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error("form too large");
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

const server = createServer();
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: "jwk" }), kid: randomUUID(), use: "sig", alg: "RS256" };

  const provider = new Provider(issuer, {
    clients: CLIENTS.map((clientId) => ({
      client_id: clientId,
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      redirect_uris: redirectUris,
      post_logout_redirect_uris: postLogoutRedirectUris,
    })),
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomUUID()] },
    pkce: { required: () => true },
    // Like Keycloak, a refresh token with every code exchange, not only for `offline_access`;
    // each use replaces it (the realm's `revokeRefreshToken`).
    issueRefreshToken: async (ctx, client) => client.grantTypeAllowed("refresh_token"),
    rotateRefreshToken: true,
    scopes: ["openid", "offline_access", "profile", "email"],
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "given_name", "family_name", "preferred_username"],
    },
    async findAccount(ctx, sub) {
      const account = bySubject.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            email: account.email,
            email_verified: true,
            name: account.name ?? "",
            preferred_username: account.email,
          };
        },
      };
    },
    // Keycloak puts the user's profile and realm roles into its access tokens.
    async extraTokenClaims(ctx, token) {
      const account = bySubject.get(token.accountId);
      if (!account || token.kind !== "AccessToken") return undefined;
      return {
        typ: "Bearer",
        email: account.email,
        email_verified: true,
        name: account.name ?? "",
        preferred_username: account.email,
        realm_access: { roles: account.roles ?? [] },
      };
    },
    renderError(ctx, out) {
      ctx.type = "html";
      ctx.body = `<!doctype html>
<html lang="en"><head>${HEAD}<title>Sign-in error</title></head>
<body><h1>Sign-in error</h1><p role="alert">${escapeHtml(out.error)}: ${escapeHtml(out.error_description ?? "")}</p></body></html>`;
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // `form` posts the choice with its anti-forgery token; the buttons name the choice.
        logoutSource(ctx, form) {
          ctx.body = `<!doctype html>
<html lang="en"><head>${HEAD}<title>Sign out of OMS</title></head>
<body>
<h1>Sign out</h1>
<p>Do you want to sign out of OMS?</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<button type="submit" form="op.logoutForm">Stay signed in</button>
</body></html>`;
        },
        postLogoutSuccessSource(ctx) {
          ctx.body = `<!doctype html>
<html lang="en"><head>${HEAD}<title>Signed out</title></head>
<body><h1>Signed out</h1><p>You have signed out of OMS.</p></body></html>`;
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo(ctx, resourceIndicator) {
          if (resourceIndicator !== RESOURCE) throw new Provider.errors.InvalidTarget();
          return {
            scope: "openid profile email",
            audience: AUDIENCE,
            accessTokenTTL: 300,
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: "RS256" } },
          };
        },
      },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  });
  const callback = provider.callback();

  // The provider's own login page (the library's interaction API); consent is implied for
  // these first-party clients, as in the realm (`consentRequired: false`).
  async function interaction(req, res) {
    const [, , uid, action] = new URL(req.url, issuer).pathname.split("/");
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error("interaction mismatch");
    const { prompt, params } = details;
    if (prompt.name === "login") {
      if (req.method === "GET") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(loginPage(uid, params.client_id));
        return;
      }
      if (req.method === "POST" && action === "login") {
        const form = await readForm(req);
        const account = accounts.get(String(form.get("email") ?? "").toLowerCase());
        if (!account || !samePassword(form.get("password") ?? "", account.password)) {
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
          res.end(loginPage(uid, params.client_id, "Invalid email or password."));
          return;
        }
        await provider.interactionFinished(req, res, { login: { accountId: account.sub } }, {
          mergeWithLastSubmission: false,
        });
        return;
      }
    }
    if (prompt.name === "consent") {
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
      const missing = prompt.details;
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
        grant.addResourceScope(indicator, scopes.join(" "));
      }
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, {
        mergeWithLastSubmission: true,
      });
      return;
    }
    res.writeHead(400, { "content-type": "text/plain" });
    res.end(`unexpected prompt ${prompt.name}`);
  }

  server.on("request", (req, res) => {
    if (req.url.startsWith("/interaction/")) {
      interaction(req, res).catch((error) => {
        res.writeHead(400, { "content-type": "text/plain" });
        res.end(String(error?.message ?? error));
      });
      return;
    }
    callback(req, res);
  });
  process.stdout.write(`${JSON.stringify({ ready: true, issuer })}\n`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
