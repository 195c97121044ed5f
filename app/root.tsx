import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { unreadNotificationCount } from "#core/social/notifications.ts";
import { getWalletBalance } from "#core/wallet/wallet.service.ts";
import { AppShell } from "./components/app-shell.tsx";
import { RewardToasts } from "./components/reward-toasts.tsx";
import { displayAmount } from "#shared/money.ts";
import { toReferenceRate } from "#shared/reference-value.ts";
import { isSchemaOpenTo } from "#graphql/schema-visibility.ts";
import { useCspNonce } from "./utils/csp-nonce.tsx";
import { DemoBanner } from "./components/demo-banner.tsx";
import stylesheet from "./styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  // public/, drawn by scripts/generate-icons.ts; /favicon.ico is there for browsers that ask.
  { rel: "icon", href: "/favicon.ico", sizes: "32x32" },
  { rel: "icon", href: "/icon.svg", type: "image/svg+xml" },
  { rel: "apple-touch-icon", href: "/apple-touch-icon.png" },
  { rel: "manifest", href: "/manifest.webmanifest" },
];

export const meta: MetaFunction = () => [
  { title: "Tributary" },
  { name: "description", content: "Everyday actions that earn micro income streams." },
];

export async function loader({ context }: LoaderFunctionArgs) {
  const user = context.viewer?.user;
  const [wallet, unreadNotifications] = user
    ? await Promise.all([
        getWalletBalance(context.services.db, user.id),
        unreadNotificationCount(context.services.db, user.id),
      ])
    : [null, 0];
  return {
    viewer: user
      ? { handle: user.handle, displayName: user.displayName, isAdmin: user.isAdmin }
      : null,
    balance: wallet
      ? { available: displayAmount(wallet.available), pending: displayAmount(wallet.pending) }
      : null,
    unreadNotifications,
    requestId: context.requestId,
    isDemo: context.services.isDemo,
    canExploreApi: isSchemaOpenTo(context),
    referenceValue: toReferenceRate(context.services.config.referenceValue),
  };
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useCspNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* The browser's bar matches the header: white, or its dark-scheme surface. */}
        <meta name="theme-color" media="(prefers-color-scheme: light)" content="#ffffff" />
        <meta name="theme-color" media="(prefers-color-scheme: dark)" content="#0f172b" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const data = useRouteLoaderData<typeof loader>("root");
  const viewer = data?.viewer ?? null;
  return (
    <AppShell
      viewer={viewer}
      balance={data?.balance ?? null}
      unreadNotifications={data?.unreadNotifications ?? 0}
      notice={data?.isDemo ? <DemoBanner /> : null}
      canExploreApi={data?.canExploreApi ?? false}
    >
      <Outlet />
      {/* Keyed by handle: a different user gets a fresh subscription. */}
      {viewer ? <RewardToasts key={viewer.handle} /> : null}
    </AppShell>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("root");
  const isNotFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <AppShell
      viewer={data?.viewer ?? null}
      balance={data?.balance ?? null}
      unreadNotifications={data?.unreadNotifications ?? 0}
      notice={data?.isDemo ? <DemoBanner /> : null}
      canExploreApi={data?.canExploreApi ?? false}
    >
      <div className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white p-6">
        <h1 className="text-xl font-semibold">
          {isNotFound ? "We could not find that page" : "Sorry, something went wrong"}
        </h1>
        <p className="mt-2 text-slate-700">
          {isNotFound
            ? "The link may be old, or the page may have moved."
            : "It is our fault, not yours. Please try again in a moment."}
        </p>
        {!isNotFound && data?.requestId ? (
          <p className="mt-2 text-sm text-slate-600">Reference: {data.requestId}</p>
        ) : null}
        <p className="mt-4">
          <Link to="/" className="font-medium text-brand-700 underline">
            Back to the home page
          </Link>
        </p>
      </div>
    </AppShell>
  );
}
