import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { formatMicroForDisplay } from "#shared/money.ts";

// GraphQL over SSE (Yoga's "distinct connections" mode): a GET with the operation in the
// query string; each result arrives as an `event: next`, the end as `event: complete`.
const REWARD_LANDED = "subscription RewardLanded { rewardLanded { rewardId status amount memo } }";

type Toast = { id: string; text: string; note: string | null };

type RewardLandedEvent = {
  data?: {
    rewardLanded?: { rewardId: string; status: string; amount: string; memo: string };
  } | null;
};

const TOAST_MS = 8000;

function toToast(event: RewardLandedEvent, sequence: number): Toast | null {
  const landed = event.data?.rewardLanded;
  if (!landed || !/^-?[0-9]{1,78}$/.test(landed.amount)) return null;
  return {
    id: `${landed.rewardId}:${landed.status}:${sequence}`,
    text: `${formatMicroForDisplay(landed.amount, { isSigned: true })} MICRO · ${landed.memo}`,
    note: landed.status === "HELD" ? "Pending until its hold ends" : null,
  };
}

/**
 * Live "reward landed" notices for the signed-in user. Each event shows a toast in a
 * polite live region and revalidates the loaders, so the header balance updates too.
 */
export function RewardToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [isLive, setIsLive] = useState(false);
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  useEffect(() => {
    revalidate.current = revalidator.revalidate;
  });

  useEffect(() => {
    let sequence = 0;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const source = new EventSource(`/graphql?query=${encodeURIComponent(REWARD_LANDED)}`);
    source.addEventListener("next", (message) => {
      let toast: Toast | null = null;
      try {
        toast = toToast(JSON.parse((message as MessageEvent<string>).data), ++sequence);
      } catch {
        toast = null;
      }
      if (!toast) return;
      const shown = toast;
      setToasts((current) => [...current.slice(-2), shown]);
      const timer = setTimeout(() => {
        timers.delete(timer);
        setToasts((current) => current.filter((t) => t.id !== shown.id));
      }, TOAST_MS);
      timers.add(timer);
      revalidate.current();
    });
    source.addEventListener("open", () => setIsLive(true));
    source.addEventListener("error", () => setIsLive(false));
    // The server ended the subscription (e.g. the session is gone): do not reconnect.
    source.addEventListener("complete", () => {
      source.close();
      setIsLive(false);
    });
    return () => {
      source.close();
      for (const timer of timers) clearTimeout(timer);
    };
  }, []);

  return (
    <div
      role="status"
      aria-live="polite"
      data-live={isLive ? "connected" : "offline"}
      className="pointer-events-none fixed inset-x-0 bottom-4 z-40 flex flex-col items-center gap-2 px-4"
    >
      {toasts.map((toast) => (
        <div
          key={toast.id}
          data-testid="reward-toast"
          className="pointer-events-auto flex max-w-full items-start gap-3 rounded-lg bg-slate-900 px-4 py-3 text-sm text-white shadow-lg"
        >
          <p className="break-words">
            <span className="font-semibold">{toast.text}</span>
            {toast.note ? <span className="block text-slate-300">{toast.note}</span> : null}
          </p>
          <button
            type="button"
            className="rounded px-1 text-slate-300 hover:text-white"
            aria-label="Dismiss"
            onClick={() => setToasts((current) => current.filter((t) => t.id !== toast.id))}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
