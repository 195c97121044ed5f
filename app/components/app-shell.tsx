import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import {
  BRAND_MARK_STREAMS,
  BRAND_MARK_STROKE_WIDTH,
  BRAND_MARK_VIEWBOX,
} from "#shared/brand-mark.ts";
import { formatMicroForDisplay, type DisplayAmount } from "#shared/money.ts";
import { MicroAmount } from "./micro-amount.tsx";
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
      <header className="relative border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl items-center gap-2 px-4 py-2 md:gap-4 md:py-3">
          <Link
            to="/"
            className="flex shrink-0 items-center gap-2 rounded-md text-lg font-bold text-brand-800"
          >
            <BrandMark />
            {/* On a phone the header keeps the mark; the name stays for screen readers. */}
            <span className={viewer ? "sr-only md:not-sr-only" : "sr-only sm:not-sr-only"}>
              Tributary
            </span>
          </Link>
          <nav aria-label="Main" className="hidden md:block">
            <SectionLinks />
          </nav>
          <div className="ml-auto flex min-w-0 items-center justify-end gap-1.5 md:gap-3">
            {viewer ? (
              <SignedInControls
                viewer={viewer}
                balance={balance}
                unreadNotifications={unreadNotifications}
              />
            ) : (
              <SignedOutControls />
            )}
            <PhoneMenu viewer={viewer} />
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
        {balance ? <MicroAmount amount={balance.available} showReference={false} /> : "— MICRO"}
        <span className="sr-only"> available</span>
      </span>
      {hasPending ? (
        <span className="text-xs font-normal text-slate-700">
          +<data value={balance.pending.units}>{formatMicroForDisplay(balance.pending.units)}</data>{" "}
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
      {/* Below md these live in the phone menu, so the header stays one row. */}
      {viewer.isAdmin ? (
        <>
          <Link
            to="/admin/rewards"
            className="hidden text-sm font-medium text-slate-800 hover:underline md:block"
          >
            Admin
          </Link>
          <Link
            to="/admin/moderation"
            className="hidden text-sm font-medium text-slate-800 hover:underline md:block"
          >
            Moderation
          </Link>
        </>
      ) : null}
      <Link
        to="/settings"
        className="hidden max-w-40 truncate text-sm font-medium text-slate-800 hover:underline md:block"
        title={viewer.displayName}
      >
        @{viewer.handle}
      </Link>
      <Form method="post" action="/signout" className="hidden md:block">
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
      <Link
        to="/signin"
        className="rounded-md px-1 py-2 text-sm font-medium whitespace-nowrap text-slate-800 hover:underline"
      >
        Sign in
      </Link>
      <Link
        to="/signup"
        className="rounded-md bg-brand-700 px-3 py-2 text-sm font-semibold whitespace-nowrap text-white hover:bg-brand-800"
      >
        Sign up
      </Link>
    </>
  );
}

/** Tributary's mark (shared/brand-mark.ts) in the palette's colours, so it turns with the scheme. */
function BrandMark() {
  return (
    <svg
      aria-hidden="true"
      viewBox={`0 0 ${BRAND_MARK_VIEWBOX} ${BRAND_MARK_VIEWBOX}`}
      className="size-7 shrink-0"
    >
      <circle cx="32" cy="32" r="32" className="fill-brand-600" />
      <path
        d={BRAND_MARK_STREAMS}
        fill="none"
        strokeWidth={BRAND_MARK_STROKE_WIDTH}
        strokeLinecap="round"
        strokeLinejoin="round"
        className="stroke-white"
      />
    </svg>
  );
}

function SectionLinks({ isStacked = false }: { isStacked?: boolean }) {
  return (
    <ul className={isStacked ? "flex flex-col gap-1" : "flex gap-1"}>
      {sections.map((section) => (
        <li key={section.to}>
          <NavLink
            to={section.to}
            className={({ isActive }) =>
              `block rounded-md px-3 py-2 font-medium ${isStacked ? "text-base" : "text-sm"} ${
                isActive ? "bg-brand-50 text-brand-800" : "text-slate-700 hover:bg-slate-100"
              }`
            }
          >
            {section.label}
          </NavLink>
        </li>
      ))}
    </ul>
  );
}

/**
 * Below md the sections and the account's links fold into one menu, so the phone header
 * is a single row: the mark, notifications, the balance and this. A disclosure, so it opens
 * without JavaScript; with it, the menu also closes on navigation, Escape and a tap outside.
 */
function PhoneMenu({ viewer }: { viewer: ShellViewer }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const location = useLocation();
  useEffect(() => {
    menu.current?.removeAttribute("open");
  }, [location.key]);
  useEffect(() => {
    const closeOnOutsideTap = (event: PointerEvent) => {
      const details = menu.current;
      if (details?.open && !details.contains(event.target as Node)) details.open = false;
    };
    const closeOnEscape = (event: KeyboardEvent) => {
      const details = menu.current;
      if (event.key !== "Escape" || !details?.open) return;
      details.open = false;
      details.querySelector("summary")?.focus();
    };
    document.addEventListener("pointerdown", closeOnOutsideTap);
    document.addEventListener("keydown", closeOnEscape);
    return () => {
      document.removeEventListener("pointerdown", closeOnOutsideTap);
      document.removeEventListener("keydown", closeOnEscape);
    };
  }, []);

  const itemClass = "block rounded-md px-3 py-2 text-base text-slate-800 hover:bg-slate-100";
  return (
    <details ref={menu} className="md:hidden" data-testid="phone-menu">
      <summary className="flex cursor-pointer list-none items-center gap-1.5 rounded-md px-2 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100 [&::-webkit-details-marker]:hidden">
        <span aria-hidden="true" className="icon icon-menu" />
        Menu
      </summary>
      <div className="absolute inset-x-0 top-full z-30 border-b border-slate-200 bg-white shadow-lg">
        <div className="mx-auto flex max-w-5xl flex-col gap-2 px-4 py-3">
          <nav aria-label="Main">
            <SectionLinks isStacked />
          </nav>
          {viewer ? (
            <ul
              aria-label="Your account"
              className="flex flex-col gap-1 border-t border-slate-200 pt-2"
            >
              <li>
                <Link to="/settings" className={itemClass}>
                  Settings <span className="text-slate-600">(@{viewer.handle})</span>
                </Link>
              </li>
              {viewer.isAdmin ? (
                <>
                  <li>
                    <Link to="/admin/rewards" className={itemClass}>
                      Admin
                    </Link>
                  </li>
                  <li>
                    <Link to="/admin/moderation" className={itemClass}>
                      Moderation
                    </Link>
                  </li>
                </>
              ) : null}
              <li>
                <Form method="post" action="/signout">
                  <button type="submit" className={`${itemClass} w-full text-left`}>
                    Sign out
                  </button>
                </Form>
              </li>
            </ul>
          ) : null}
        </div>
      </div>
    </details>
  );
}
