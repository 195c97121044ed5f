import type { Insertable } from "kysely";
import type { Db } from "#db/create-db.ts";
import type { GamesTable } from "#db/schema-games.ts";

export type GameRow = {
  id: string;
  title: string;
  description: string;
  owner_id: string | null;
  rules_version: number | null;
  reward_kind: string;
};

const columns = ["id", "title", "description", "owner_id", "rules_version", "reward_kind"] as const;

/** Every game, built-in ones first, then by title. */
export async function listGameRows(db: Db): Promise<GameRow[]> {
  return db
    .selectFrom("games")
    .select(columns)
    .orderBy((eb) => eb("owner_id", "is", null), "desc")
    .orderBy("title")
    .execute();
}

export async function findGameRow(db: Db, id: string): Promise<GameRow | undefined> {
  return db.selectFrom("games").select(columns).where("id", "=", id).executeTakeFirst();
}

/** Records a game, or brings its title, description and rules version up to date. */
export async function upsertGame(db: Db, game: Insertable<GamesTable>): Promise<void> {
  await db
    .insertInto("games")
    .values(game)
    .onConflict((oc) =>
      oc.column("id").doUpdateSet({
        title: game.title,
        description: game.description,
        rules_version: game.rules_version,
      }),
    )
    .execute();
}
