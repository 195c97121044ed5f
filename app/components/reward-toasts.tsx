import { Link, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import { displayAmount, type DisplayAmount } from "#shared/money.ts";

// GraphQL over SSE (Yoga's "distinct connections" mode): a GET with the operation in the
// query string; each result arrives as an `event: next`, the end as `event: complete`.
const REWARD_LANDED = "subscription RewardLanded { rewardLanded { rewardId status amount memo } }";

type Toast = { id: string; amount: DisplayAmount; memo: string; note: string | null };

type RewardLandedEvent = {
  data?: {
    rewardLanded?: { rewardId: string; status: string; amount: string; memo: string };
  } | null;
};

/** How long a toast stays, counted only while the pointer and focus are elsewhere. */
export const TOAST_MS = 8000;
const MAX_TOASTS = 3;

function toToast(event: RewardLandedEvent, sequence: number): Toast | null {
  const landed = event.data?.rewardLanded;
  if (!landed || !/^-?[0-9]{1,78}$/.test(landed.amount)) return null;
  return {
    id: `${landed.rewardId}:${landed.status}:${sequence}`,
    amount: displayAmount(BigInt(landed.amount)),
    memo: landed.memo,
    note: landed.status === "HELD" ? "Pending until its hold ends" : null,
  };
}

/**
 * Each toast's clock: it runs while nobody is reading (no pointer over the toasts, no focus
 * in them) and stops while someone is, so a toast never vanishes under a reader's hand.
 */
function useToastClocks(dismiss: (id: string) => void) {
  const clocks = useRef(
    new Map<string, { left: number; startedAt: number; timer?: ReturnType<typeof setTimeout> }>(),
  );
  const isPaused = useRef(false);

  const run = useCallback(
    (id: string) => {
      const clock = clocks.current.get(id);
      if (!clock) return;
      clock.startedAt = Date.now();
      clock.timer = setTimeout(() => {
        clocks.current.delete(id);
        dismiss(id);
      }, clock.left);
    },
    [dismiss],
  );

  const start = useCallback(
    (id: string) => {
      clocks.current.set(id, { left: TOAST_MS, startedAt: Date.now() });
      if (!isPaused.current) run(id);
    },
    [run],
  );

  const stop = useCallback((id: string) => {
    clearTimeout(clocks.current.get(id)?.timer);
    clocks.current.delete(id);
  }, []);

  const pause = useCallback(() => {
    if (isPaused.current) return;
    isPaused.current = true;
    for (const clock of clocks.current.values()) {
      clearTimeout(clock.timer);
      clock.timer = undefined;
      clock.left = Math.max(0, clock.left - (Date.now() - clock.startedAt));
    }
  }, []);

  const resume = useCallback(() => {
    if (!isPaused.current) return;
    isPaused.current = false;
    for (const id of clocks.current.keys()) run(id);
  }, [run]);

  useEffect(() => {
    const all = clocks.current;
    return () => {
      for (const clock of all.values()) clearTimeout(clock.timer);
    };
  }, []);

  return { start, stop, pause, resume };
}

/**
 * Live "reward landed" notices for the signed-in user. Each event shows a toast in a
 * polite live region and revalidates the loaders, so the header balance updates too.
 * They stack in a bottom corner (bottom edge on a phone), away from the header's balance,
 * each with a link to how earning works and a dismiss button.
 */
export function RewardToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [isLive, setIsLive] = useState(false);
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  useEffect(() => {
    revalidate.current = revalidator.revalidate;
  });

  const remove = useCallback((id: string) => {
    setToasts((current) => current.filter((t) => t.id !== id));
  }, []);
  const clocks = useToastClocks(remove);
  const { start, stop } = clocks;

  const dismiss = (id: string) => {
    stop(id);
    remove(id);
  };

  useEffect(() => {
    let sequence = 0;
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
      setToasts((current) => {
        for (const old of current.slice(0, -(MAX_TOASTS - 1))) stop(old.id);
        return [...current.slice(-(MAX_TOASTS - 1)), shown];
      });
      start(shown.id);
      revalidate.current();
    });
    source.addEventListener("open", () => setIsLive(true));
    source.addEventListener("error", () => setIsLive(false));
    // The server ended the subscription (e.g. the session is gone): do not reconnect.
    source.addEventListener("complete", () => {
      source.close();
      setIsLive(false);
    });
    return () => source.close();
  }, [start, stop]);

  return (
    <div
      role="status"
      aria-live="polite"
      data-live={isLive ? "connected" : "offline"}
      data-testid="reward-toasts"
      className="pointer-events-none fixed inset-x-4 bottom-4 z-40 flex flex-col items-stretch gap-2 sm:inset-x-auto sm:right-4 sm:w-96"
      onMouseEnter={clocks.pause}
      onMouseLeave={clocks.resume}
      onFocus={clocks.pause}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) clocks.resume();
      }}
    >
      {toasts.map((toast) => (
        <div
          key={toast.id}
          data-testid="reward-toast"
          className="pointer-events-auto flex items-start gap-3 rounded-lg bg-slate-900 px-4 py-3 text-sm text-white shadow-lg"
        >
          <div className="min-w-0 flex-1">
            <p className="font-semibold break-words">
              <MicroAmount amount={toast.amount} isSigned showReference={false} /> · {toast.memo}
            </p>
            {toast.note ? <p className="text-slate-300">{toast.note}</p> : null}
            <p className="mt-1">
              <Link to="/earning" className="underline underline-offset-2 hover:no-underline">
                How earning works
              </Link>
            </p>
          </div>
          <button
            type="button"
            className="-mt-1 -mr-2 rounded px-2 py-1 text-lg leading-none text-slate-300 hover:text-white"
            aria-label="Dismiss"
            onClick={() => dismiss(toast.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
