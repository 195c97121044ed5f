import type { LoaderFunctionArgs } from "@remix-run/node";
import { streamParam } from "#app/components/wallet/history-filter.server.ts";
import { requireViewer } from "#app/utils/viewer.server.ts";
import { listWalletEntries, type WalletEntry } from "#core/wallet/wallet.service.ts";
import { formatMicro } from "#shared/money.ts";

// The signed-in user's whole wallet history as CSV (RFC 4180, UTF-8), newest first, with
// the page's ?stream= filter. Only the viewer's own entries exist here: the user id comes
// from the session, never from the address. Read in pages and streamed, so a long history
// neither waits nor sits in memory.

const PAGE = 500;

const CSV_HEADER = [
  "date",
  "stream",
  "description",
  "amount",
  "amount_base_units",
  "balance",
] as const;

/** A number we wrote ourselves ("-0.01", "12"): safe as it is, and useful as a number. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * One CSV field: a text that a spreadsheet would run as a formula (= + - @, a tab or a
 * carriage return first) gets a leading apostrophe; a field with a comma, a quote or a
 * line break is quoted, its quotes doubled.
 */
function csvField(value: string): string {
  const safe = !PLAIN_NUMBER.test(value) && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const csvRow = (fields: readonly string[]) => `${fields.map(csvField).join(",")}\r\n`;

function entryRow(entry: WalletEntry): string {
  return csvRow([
    entry.createdAt.toISOString(),
    entry.stream ?? "",
    entry.memo,
    formatMicro(entry.amount),
    entry.amount.toString(),
    entry.balance,
  ]);
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  const { db, logger } = context.services;
  const userId = viewer.user.id;
  const stream = streamParam(new URL(request.url));
  const day = new Date().toISOString().slice(0, 10);
  const filename = `tributary-wallet-${stream ? `${stream}-` : ""}${day}.csv`;

  // The first page is read before answering, so a failure there is an ordinary error page.
  let page = await listWalletEntries(db, userId, { limit: PAGE, stream });
  let isHeaderSent = false;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!isHeaderSent) {
          isHeaderSent = true;
          controller.enqueue(encoder.encode(csvRow(CSV_HEADER)));
        }
        if (page.length === 0) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(page.map(entryRow).join("")));
        page =
          page.length < PAGE
            ? []
            : await listWalletEntries(db, userId, {
                limit: PAGE,
                after: page.at(-1)!.transferId,
                stream,
              });
      } catch (error) {
        logger.error({ err: error, requestId: context.requestId }, "wallet CSV export failed");
        controller.error(new Error("wallet CSV export failed"));
      }
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8; header=present",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
