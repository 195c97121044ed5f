import { useNavigate } from "@remix-run/react";
import { useCallback, type MouseEvent } from "react";

/**
 * A click handler for a container of plain `<a href="/…">` links (a post card's author,
 * time, hashtags and mentions) that navigates them in the app, as Remix's `<Link>` would,
 * when JavaScript runs. Rendering twenty cards' worth of `<Link>`s, each a handful of router
 * hooks, was a large part of the feed page's server time; one handler does the same job.
 * Clicks that ask for something else (a new tab, a download, another site) are left alone.
 */
export function useClientNavigation() {
  const navigate = useNavigate();
  return useCallback(
    (event: MouseEvent<HTMLElement>) => {
      if (
        event.defaultPrevented ||
        event.button !== 0 ||
        event.metaKey ||
        event.ctrlKey ||
        event.shiftKey ||
        event.altKey
      ) {
        return;
      }
      const link = (event.target as Element).closest?.("a");
      if (!link || !event.currentTarget.contains(link)) return;
      if (link.target || link.hasAttribute("download") || link.origin !== window.location.origin) {
        return;
      }
      event.preventDefault();
      navigate(`${link.pathname}${link.search}${link.hash}`);
    },
    [navigate],
  );
}
