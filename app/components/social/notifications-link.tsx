import { NavLink, useLocation, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { BellIcon } from "./icons.tsx";

// GraphQL over SSE, as the reward toasts subscribe: each new notification pings with the
// recipient's unread count.
const NOTIFICATION_RECEIVED =
  "subscription NotificationReceived { notificationReceived { notificationId kind unreadCount } }";

type NotificationReceivedEvent = {
  data?: {
    notificationReceived?: { notificationId: string | null; unreadCount: number } | null;
  } | null;
};

/**
 * The header's link to /notifications with the unread count, kept live: the server's
 * count comes with each page, and each ping (a new notification, or another page that
 * marked them read) updates it in place. On the notifications page itself a new one
 * reloads the list (which marks it read).
 */
export function NotificationsLink({ unreadCount }: { unreadCount: number }) {
  const location = useLocation();
  const isOnList = location.pathname === "/notifications";
  const [live, setLive] = useState<{ from: number; count: number }>({
    from: unreadCount,
    count: unreadCount,
  });
  // A fresher count from the server (any navigation) replaces the live one.
  let count = live.count;
  if (live.from !== unreadCount) {
    count = unreadCount;
    setLive({ from: unreadCount, count: unreadCount });
  }

  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  const isOnListRef = useRef(isOnList);
  useEffect(() => {
    revalidate.current = revalidator.revalidate;
    isOnListRef.current = isOnList;
  });

  const [isLive, setIsLive] = useState(false);
  useEffect(() => {
    const source = new EventSource(`/graphql?query=${encodeURIComponent(NOTIFICATION_RECEIVED)}`);
    source.addEventListener("next", (message) => {
      let unread: number | undefined;
      try {
        const event = JSON.parse(
          (message as MessageEvent<string>).data,
        ) as NotificationReceivedEvent;
        unread = event.data?.notificationReceived?.unreadCount;
      } catch {
        unread = undefined;
      }
      if (typeof unread !== "number" || !Number.isInteger(unread) || unread < 0) return;
      const next = unread;
      setLive((current) => ({ ...current, count: next }));
      if (isOnListRef.current) revalidate.current();
    });
    source.addEventListener("open", () => setIsLive(true));
    source.addEventListener("error", () => setIsLive(false));
    // The server ended the subscription (e.g. the session is gone): do not reconnect.
    source.addEventListener("complete", () => {
      source.close();
      setIsLive(false);
    });
    return () => source.close();
  }, []);

  const shown = isOnList ? 0 : count;
  const label = shown > 99 ? "99+" : String(shown);
  return (
    <NavLink
      to="/notifications"
      data-testid="notifications-link"
      data-live={isLive ? "connected" : "offline"}
      className={({ isActive }) =>
        `relative flex items-center rounded-full p-2 ${
          isActive ? "bg-brand-50 text-brand-800" : "text-slate-700 hover:bg-slate-100"
        }`
      }
    >
      <BellIcon className="size-6" />
      <span className="sr-only">Notifications{shown > 0 ? ` (${shown} unread)` : ""}</span>
      {shown > 0 ? (
        <span
          aria-hidden="true"
          data-testid="notifications-badge"
          className="absolute -top-0.5 -right-0.5 flex h-5 min-w-5 items-center justify-center rounded-full bg-rose-600 px-1 text-xs font-bold text-white ring-2 ring-white"
        >
          {label}
        </span>
      ) : null}
    </NavLink>
  );
}
