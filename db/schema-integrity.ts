/** Tables of reward integrity: risk signals, the review queue. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the tables that follow
export interface IntegrityTables {}
