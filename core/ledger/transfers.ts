// Transitional, not a barrel to keep: core/ledger/transfers.ts split into transfers.service.ts
// (the rules) and transfers.repository.ts (the statements) while core/rewards was being split
// too; this file goes as soon as core/rewards imports those two directly.
export { asLedgerError } from "./ledger-error.ts";
export { type BalanceChange } from "./balance-deltas.ts";
export { balanceMove, type Transfer } from "./transfers.repository.ts";
export {
  applyTransferBalances,
  inRetryingTransaction,
  insertTransfers,
  newTransfersInsert,
  recordTransfers,
  transfer,
  type NewTransferRequest,
  type TransferRequest,
  type TransferResult,
} from "./transfers.service.ts";
