import type { Db } from "#db/create-db.ts";
import { findGameRow, listGameRows, type GameRow } from "./games.repository.ts";

/**
 * The games one can play or follow: Tributary's own and, later, external studios' (a
 * game has an owner and pays its achievements from its reward kind's budget).
 */
export type GameListing = {
  id: string;
  title: string;
  description: string;
  /** Null for Tributary's own games. */
  ownerId: string | null;
  isBuiltIn: boolean;
  /** The rules version runs replay on (built-in games only). */
  rulesVersion: number | null;
  rewardKind: string;
};

const toListing = (row: GameRow): GameListing => ({
  id: row.id,
  title: row.title,
  description: row.description,
  ownerId: row.owner_id,
  isBuiltIn: row.owner_id === null,
  rulesVersion: row.rules_version,
  rewardKind: row.reward_kind,
});

/** Every game, built-in ones first, then by title. */
export async function listGames(db: Db): Promise<GameListing[]> {
  const rows = await listGameRows(db);
  return rows.map(toListing);
}

export async function getGame(db: Db, id: string): Promise<GameListing | null> {
  const row = await findGameRow(db, id);
  return row ? toListing(row) : null;
}
