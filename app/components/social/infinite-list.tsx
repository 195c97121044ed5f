import { Link, useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useClientNavigation } from "#app/utils/plain-links.ts";
import type { ListPage } from "./types.ts";

/**
 * A cursor-paginated list. Without JavaScript its "older" link opens the next page;
 * with it, the next page loads through the same route's loader (a fetcher) when the end
 * of the list scrolls near, or when the link is clicked, and is appended in place.
 * Each page's loader must answer `{ page: ListPage<T> }`.
 */
export function InfiniteList<T extends { key: string }>({
  first,
  pageHref,
  renderItem,
  moreLabel,
  label,
  className,
  itemClassName,
}: {
  first: ListPage<T>;
  /** The URL of the page after `cursor` (the current route with `after=<cursor>`). */
  pageHref: (cursor: string) => string;
  renderItem: (item: T) => ReactNode;
  moreLabel: string;
  label: string;
  className?: string;
  itemClassName?: string;
}) {
  const fetcher = useFetcher<{ page: ListPage<T> }>();
  const [more, setMore] = useState<{ first: ListPage<T>; items: T[]; nextCursor: string | null }>({
    first,
    items: [],
    nextCursor: first.nextCursor,
  });
  // A new first page (another tab, a reload after posting) starts the list over.
  let state = more;
  if (more.first !== first) {
    state = { first, items: [], nextCursor: first.nextCursor };
    setMore(state);
  }

  // Each page the fetcher brings is appended once, leaving out anything already shown.
  const [appendedData, setAppendedData] = useState(fetcher.data);
  if (fetcher.data !== appendedData) {
    setAppendedData(fetcher.data);
    const page = fetcher.data?.page;
    if (page) {
      const seen = new Set([...state.first.items, ...state.items].map((item) => item.key));
      state = {
        ...state,
        items: [...state.items, ...page.items.filter((item) => !seen.has(item.key))],
        nextCursor: page.nextCursor,
      };
      setMore(state);
    }
  }

  const isLoading = fetcher.state === "loading";
  const cursor = state.nextCursor;
  const sentinel = useRef<HTMLDivElement>(null);
  const load = useRef<() => void>(() => {});
  useEffect(() => {
    load.current = () => {
      if (cursor && fetcher.state === "idle") fetcher.load(pageHref(cursor));
    };
  });
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !cursor || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) load.current();
      },
      { rootMargin: "600px 0px" },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [cursor]);

  const items = [...state.first.items, ...state.items];
  // Post cards link with plain `<a>`s (cheaper to render twenty times): navigated in the app
  // from here, as `<Link>`s would be.
  const navigateInApp = useClientNavigation();
  return (
    <>
      <ul
        aria-label={label}
        className={className ?? "flex flex-col gap-3"}
        data-testid="list"
        onClick={navigateInApp}
      >
        {items.map((item) => (
          <li key={item.key} className={itemClassName}>
            {renderItem(item)}
          </li>
        ))}
      </ul>
      <div
        ref={sentinel}
        className={`flex justify-center ${cursor || state.items.length > 0 ? "mt-4 min-h-10" : ""}`}
        aria-live="polite"
      >
        {cursor ? (
          <Link
            to={pageHref(cursor)}
            preventScrollReset
            onClick={(event) => {
              event.preventDefault();
              load.current();
            }}
            aria-disabled={isLoading || undefined}
            className="rounded-full border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 shadow-sm hover:bg-slate-50"
          >
            {isLoading ? "Loading…" : moreLabel}
          </Link>
        ) : items.length > 0 && state.items.length > 0 ? (
          <p className="text-sm text-slate-600">You are all caught up.</p>
        ) : null}
      </div>
    </>
  );
}
