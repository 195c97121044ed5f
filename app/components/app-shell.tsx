import { Form, Link, NavLink } from "@remix-run/react";
import type { ReactNode } from "react";
import type { DisplayAmount } from "#shared/money.ts";
import { NotificationsLink } from "./social/notifications-link.tsx";

export type ShellViewer = { handle: string; displayName: string; isAdmin: boolean } | null;
export type ShellBalance = { available: DisplayAmount; pending: DisplayAmount } | null;

const sections = [
  { to: "/feed", label: "Feed" },
  { to: "/games", label: "Games" },
  { to: "/tasks", label: "Tasks" },
  { to: "/wallet", label: "Wallet" },
] as const;

export function AppShell({
  viewer,
  balance,
  unreadNotifications = 0,
  notice = null,
  canExploreApi = false,
  children,
}: {
  viewer: ShellViewer;
  balance: ShellBalance;
  /** The viewer's unread notifications when the page loaded (the badge keeps it live). */
  unreadNotifications?: number;
  /** A site-wide notice above the header (e.g. that demo accounts are on). */
  notice?: ReactNode;
  /** GraphiQL is served to this viewer (anyone outside production, admins in it). */
  canExploreApi?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      {notice}
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
          <Link to="/" className="flex items-center gap-2 text-lg font-bold text-brand-800">
            <span aria-hidden="true" className="inline-block size-6 rounded-full bg-brand-600" />
            Tributary
          </Link>
          <nav aria-label="Main" className="order-3 w-full sm:order-none sm:w-auto">
            <ul className="flex gap-1 overflow-x-auto">
              {sections.map((section) => (
                <li key={section.to}>
                  <NavLink
                    to={section.to}
                    className={({ isActive }) =>
                      `block rounded-md px-3 py-2 text-sm font-medium ${
                        isActive
                          ? "bg-brand-50 text-brand-800"
                          : "text-slate-700 hover:bg-slate-100"
                      }`
                    }
                  >
                    {section.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="ml-auto flex flex-wrap items-center justify-end gap-2 sm:gap-3">
            {viewer ? (
              <SignedInControls
                viewer={viewer}
                balance={balance}
                unreadNotifications={unreadNotifications}
              />
            ) : (
              <SignedOutControls />
            )}
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-8">
        {children}
      </main>
      <footer className="border-t border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap justify-between gap-2 px-4 py-4 text-sm text-slate-600">
          <p>Tributary — be a producer, not a product.</p>
          {canExploreApi ? (
            <p>
              <a className="underline hover:text-slate-900" href="/graphql">
                GraphQL API
              </a>
            </p>
          ) : null}
        </div>
      </footer>
    </div>
  );
}

/** The viewer's available balance (and what is pending) from the root loader. */
function BalanceSlot({ balance }: { balance: ShellBalance }) {
  const hasPending = balance !== null && balance.pending.units !== "0";
  return (
    <Link
      to="/wallet"
      data-testid="header-balance"
      className="flex flex-col items-end rounded-2xl border border-brand-100 bg-brand-50 px-3 py-1 text-sm leading-tight font-medium text-brand-800"
    >
      <span>
        <span className="sr-only">Wallet: </span>
        {balance ? (
          <data
            value={balance.available.units}
            title={`${balance.available.units} base units available`}
          >
            {balance.available.micro} MICRO
          </data>
        ) : (
          "— MICRO"
        )}
        <span className="sr-only"> available</span>
      </span>
      {hasPending ? (
        <span className="text-xs font-normal text-slate-700">
          +
          <data value={balance.pending.units} title={`${balance.pending.units} base units pending`}>
            {balance.pending.micro}
          </data>{" "}
          pending
        </span>
      ) : null}
    </Link>
  );
}

function SignedInControls({
  viewer,
  balance,
  unreadNotifications,
}: {
  viewer: NonNullable<ShellViewer>;
  balance: ShellBalance;
  unreadNotifications: number;
}) {
  return (
    <>
      {/* Keyed by handle: a different user gets a fresh subscription. */}
      <NotificationsLink key={viewer.handle} unreadCount={unreadNotifications} />
      <BalanceSlot balance={balance} />
      {viewer.isAdmin ? (
        <>
          <Link to="/admin/rewards" className="text-sm font-medium text-slate-800 hover:underline">
            Admin
          </Link>
          <Link
            to="/admin/moderation"
            className="text-sm font-medium text-slate-800 hover:underline"
          >
            Moderation
          </Link>
        </>
      ) : null}
      <Link
        to="/settings"
        className="text-sm font-medium text-slate-800 hover:underline"
        title={viewer.displayName}
      >
        @{viewer.handle}
      </Link>
      <Form method="post" action="/signout">
        <button
          type="submit"
          className="rounded-md px-2 py-1 text-sm whitespace-nowrap text-slate-700 underline hover:text-slate-900"
        >
          Sign out
        </button>
      </Form>
    </>
  );
}

function SignedOutControls() {
  return (
    <>
      <Link to="/signin" className="text-sm font-medium text-slate-800 hover:underline">
        Sign in
      </Link>
      <Link
        to="/signup"
        className="rounded-md bg-brand-700 px-3 py-2 text-sm font-semibold text-white hover:bg-brand-800"
      >
        Sign up
      </Link>
    </>
  );
}
