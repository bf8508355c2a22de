-- The REST read model: a projection of the graph kept in SQLite beside the store.
-- Every table is derived from the store (kg.readmodel.projection); `meta.generation`
-- names the store generation it reflects, and the API uses it only while that is the
-- store's current generation.
PRAGMA journal_mode = WAL;

CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

-- Graphs whose write has begun but whose projection is not yet committed (crash recovery).
CREATE TABLE IF NOT EXISTS pending (node TEXT PRIMARY KEY) WITHOUT ROWID;

-- Every typed entity: its public id, chosen label, most specific kind, and whether (and by
-- how many documents) it is mentioned.
CREATE TABLE IF NOT EXISTS entity (
  iri TEXT PRIMARY KEY,
  id TEXT NOT NULL,
  label TEXT NOT NULL,
  label_key TEXT NOT NULL,  -- the label lower-cased: the listing order
  kind TEXT NOT NULL,
  mentioned INTEGER NOT NULL,
  documents INTEGER NOT NULL
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS entity_by_id ON entity (id);
CREATE INDEX IF NOT EXISTS entity_listing ON entity (mentioned, label_key, id);

-- Each entity's detail page but its agreements (read from `agreement`) and the labels and kinds
-- of the entities it names (read from `entity`): JSON {types, labels, relations, positions,
-- documents}, see kg.readmodel.projection.entity_details.
CREATE TABLE IF NOT EXISTS entity_detail (iri TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;

-- Each class an entity is an instance of, superclasses included (the kind filter).
CREATE TABLE IF NOT EXISTS entity_class (class TEXT NOT NULL, iri TEXT NOT NULL, PRIMARY KEY (class, iri))
  WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entity_class_by_iri ON entity_class (iri);

-- Every label and alternative label, lower-cased (prefix search); its rowid keys name_index ...
CREATE TABLE IF NOT EXISTS entity_name (lowered TEXT NOT NULL, iri TEXT NOT NULL, name TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS entity_name_prefix ON entity_name (lowered, iri, name);
CREATE INDEX IF NOT EXISTS entity_name_by_iri ON entity_name (iri);
-- ... and folded (no case, accents or punctuation) in a full-text index: token-prefix and
-- typo-tolerant search; its vocabulary feeds the typo correction.
CREATE VIRTUAL TABLE IF NOT EXISTS name_index USING fts5 (
  folded, iri UNINDEXED, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
CREATE VIRTUAL TABLE IF NOT EXISTS name_terms USING fts5vocab (name_index, row);

-- Every agreement: the fields the filters and the order need, and its whole record (JSON).
CREATE TABLE IF NOT EXISTS agreement (
  iri TEXT PRIMARY KEY,
  id TEXT,
  kind TEXT NOT NULL,
  status TEXT,
  date TEXT,
  lo TEXT,  -- first and last day the date stands for
  hi TEXT,
  record TEXT NOT NULL,
  parties TEXT NOT NULL,  -- its parties that are nodes of the network view (JSON, kg.queries.network.node_parties)
  edges TEXT NOT NULL  -- its edges in the network view, as the answer writes them: JSON objects, comma-separated
) WITHOUT ROWID;
-- The listing order (as kg.queries.agreement_order) with every column the filters check: a
-- page's agreements are found on this index alone, and only their records are then read.
-- (It replaces agreement_order, the order alone, which had each candidate's row visited.)
DROP INDEX IF EXISTS agreement_order;
CREATE INDEX IF NOT EXISTS agreement_page ON agreement (
  date IS NULL, COALESCE(date, ''), COALESCE(id, iri), id, date, lo, hi, status);
-- The same order with the columns the network view reads: its page is read from this index alone
-- (the records, with their evidence, make the table's rows large). SQLite counts an index as
-- covering only if it holds every column the query names, those inside the ORDER BY's
-- expressions too: hence id and date.
CREATE INDEX IF NOT EXISTS agreement_network ON agreement (
  date IS NULL, COALESCE(date, ''), COALESCE(id, iri), id, date, lo, hi, parties, edges);
-- The date filters (an overlap of [lo, hi] with the asked range).
CREATE INDEX IF NOT EXISTS agreement_dates ON agreement (hi, lo);
CREATE INDEX IF NOT EXISTS agreement_status ON agreement (status, hi, lo);
CREATE TABLE IF NOT EXISTS agreement_kind (kind TEXT NOT NULL, iri TEXT NOT NULL, PRIMARY KEY (kind, iri))
  WITHOUT ROWID;
-- role: party, subject, site, or country (a party, or the country a party is based in).
CREATE TABLE IF NOT EXISTS agreement_link (entity TEXT NOT NULL, role TEXT NOT NULL, iri TEXT NOT NULL,
  PRIMARY KEY (entity, role, iri)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS agreement_link_by_agreement ON agreement_link (iri);
-- (re-projecting an agreement deletes its kinds by its IRI: without this, each delete read the table)
CREATE INDEX IF NOT EXISTS agreement_kind_by_agreement ON agreement_kind (iri);

-- Each entity's manufacturers, operators and programme participants (the aircraft and
-- programme listings), as the graph states them, with or without evidence.
CREATE TABLE IF NOT EXISTS link (s TEXT NOT NULL, p TEXT NOT NULL, o TEXT NOT NULL,
  o_key TEXT, o_id TEXT,  -- the listing order of the entity o names (its label_key and id); NULL: no typed entity
  PRIMARY KEY (s, p, o)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS link_order ON link (s, p, o_key, o_id);  -- a list's first entities, and its count
CREATE INDEX IF NOT EXISTS link_by_object ON link (o);  -- the lists an entity is in, when its label changes

-- Binary facts some document states (with evidence), for the counts.
CREATE TABLE IF NOT EXISTS fact (s TEXT NOT NULL, p TEXT NOT NULL, o TEXT NOT NULL, PRIMARY KEY (s, p, o))
  WITHOUT ROWID;

-- Every document: its REST list record (JSON), in id order.
CREATE TABLE IF NOT EXISTS document (iri TEXT PRIMARY KEY, id TEXT NOT NULL, record TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS document_order ON document (id);

-- Triples per named graph.
CREATE TABLE IF NOT EXISTS graph (iri TEXT PRIMARY KEY, triples INTEGER NOT NULL) WITHOUT ROWID;
