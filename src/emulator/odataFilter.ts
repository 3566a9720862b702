import { collectionTarget, columnOfProperty, type EntityDef } from "./metadata";
import { dateTimeText, textOf, type Row } from "./store";

/**
 * `$filter` for the emulator: eq, ne, gt, ge, lt, le, and, or, not, parentheses, null, string,
 * number, boolean and GUID literals, lookups as `_x_value`, contains/startswith/endswith, and the
 * lambda operators any/all over collection-valued navigation properties, nested ones included ("Filter
 * rows": "You can include conditions on multiple collection-valued navigation properties and nested
 * collections"). String comparison ignores case, as Dataverse's collation does.
 */
export class ODataQueryError extends Error {}

type Token = { kind: "ident" | "string" | "number" | "guid" | "op" | "punct"; text: string };
type Value = string | number | boolean | null;
type Node =
  | { kind: "literal"; value: Value }
  /** `of`: the lambda variable whose item the column belongs to; absent for the row itself. */
  | { kind: "property"; column: string; of?: string }
  /** `from`: the lambda variable whose item the navigation starts at; absent for the row itself. */
  | { kind: "lambda"; op: "any" | "all"; navigation: string; from?: string; entity: EntityDef; variable: string; body: Node | null }
  | { kind: "compare"; op: string; left: Node; right: Node }
  | { kind: "logical"; op: "and" | "or"; left: Node; right: Node }
  | { kind: "not"; operand: Node }
  | { kind: "call"; name: string; args: Node[] };

/**
 * A string, a GUID, a DateTimeOffset ("Filter rows": `createdon ge 2026-01-01T00:00:00Z`, written
 * bare), a number, a name or punctuation.
 */
const TOKEN =
  /\s*(?:('(?:[^']|'')*')|([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))|(-?\d+(?:\.\d+)?)\b|([A-Za-z_][A-Za-z0-9_]*)|([(),/:]))/y;
const COMPARISONS = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);
const FUNCTIONS = new Set(["contains", "startswith", "endswith"]);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) throw new ODataQueryError(`Syntax error at position ${start} in '${text}'.`);
    const [, str, guid, dateTime, num, ident, punct] = match;
    if (str !== undefined) tokens.push({ kind: "string", text: str.slice(1, -1).replace(/''/g, "'") });
    else if (guid !== undefined) tokens.push({ kind: "guid", text: guid.toLowerCase() });
    // Compared as the stored text, which Dataverse's form of the same instant makes exact.
    else if (dateTime !== undefined) {
      if (Number.isNaN(Date.parse(dateTime))) throw new ODataQueryError(`'${dateTime}' is not a valid DateTimeOffset in '${text}'.`);
      tokens.push({ kind: "string", text: dateTimeText(dateTime) });
    } else if (num !== undefined) tokens.push({ kind: "number", text: num });
    else if (ident !== undefined)
      tokens.push({ kind: COMPARISONS.has(ident) || ["and", "or", "not"].includes(ident) ? "op" : "ident", text: ident });
    else tokens.push({ kind: "punct", text: punct });
  }
  return tokens;
}

/** Rows a collection-valued navigation property of a row (of the given table) leads to. */
export type RelatedRows = (entity: EntityDef, row: Row, navigation: string) => Row[];

class Parser {
  private position = 0;
  /** The lambda variables in scope and the table each one's items come from. */
  private readonly variables = new Map<string, EntityDef>();
  /** Every table a lambda reaches: reading through it needs its read privilege too. */
  readonly tables = new Set<string>();
  constructor(
    private readonly tokens: Token[],
    private readonly entity: EntityDef,
    private readonly lambdas: boolean,
  ) {}

  parse(): Node {
    const node = this.or();
    if (this.position < this.tokens.length) throw new ODataQueryError(`Unexpected '${this.tokens[this.position].text}' in $filter.`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private take(text?: string): Token {
    const token = this.tokens[this.position++];
    if (!token || (text !== undefined && token.text !== text)) throw new ODataQueryError(`Expected '${text ?? "a term"}' in $filter.`);
    return token;
  }

  private or(): Node {
    return this.chain("or", () => this.and());
  }

  private and(): Node {
    return this.chain("and", () => this.unary());
  }

  /** A left-associative run of one logical operator over the next tighter level. */
  private chain(op: "and" | "or", operand: () => Node): Node {
    let node = operand();
    while (this.peek()?.text === op) {
      this.take();
      node = { kind: "logical", op, left: node, right: operand() };
    }
    return node;
  }

  private unary(): Node {
    if (this.peek()?.text === "not") {
      this.take();
      return { kind: "not", operand: this.unary() };
    }
    if (this.peek()?.text === "(") {
      this.take("(");
      const inner = this.or();
      this.take(")");
      return inner;
    }
    const left = this.operand();
    if (left.kind === "call" || left.kind === "lambda") return left;
    const op = this.take();
    if (!COMPARISONS.has(op.text)) throw new ODataQueryError(`Expected a comparison after an operand, found '${op.text}'.`);
    return { kind: "compare", op: op.text, left, right: this.operand() };
  }

  private operand(): Node {
    const token = this.take();
    switch (token.kind) {
      case "string":
        return { kind: "literal", value: token.text };
      case "guid":
        return { kind: "literal", value: token.text };
      case "number":
        return { kind: "literal", value: Number(token.text) };
      case "ident": {
        if (token.text === "null") return { kind: "literal", value: null };
        if (token.text === "true" || token.text === "false") return { kind: "literal", value: token.text === "true" };
        if (FUNCTIONS.has(token.text) && this.peek()?.text === "(") {
          this.take("(");
          const args = [this.operand()];
          while (this.peek()?.text === ",") {
            this.take(",");
            args.push(this.operand());
          }
          this.take(")");
          return { kind: "call", name: token.text, args };
        }
        if (this.peek()?.text === "/") return this.path(token.text);
        return this.property(this.entity, token.text);
      }
      default:
        throw new ODataQueryError(`Unexpected '${token.text}' in $filter.`);
    }
  }

  /**
   * `variable/property` inside a lambda, or `navigation/any(x: …)` / `navigation/all(x: …)` from the
   * row or from a lambda's item (`x/navigation/any(y: …)`).
   */
  private path(head: string): Node {
    this.take("/");
    const from = this.variables.has(head) ? head : undefined;
    const entity = from ? this.variables.get(from)! : this.entity;
    const navigation = from ? this.take().text : head;
    if (from && this.peek()?.text !== "/") return this.property(entity, navigation, from);
    if (from) this.take("/");
    const op = this.take().text;
    if (!this.lambdas)
      // "Join tables using OData" documents $filter inside $expand, but no page says a lambda may go there.
      throw new ODataQueryError(`Lambda operators are not documented inside the $filter of an $expand ('${navigation}/${op}').`);
    const target = collectionTarget(entity, navigation);
    if (target) this.tables.add(target.logicalName);
    if (!target || (op !== "any" && op !== "all"))
      throw new ODataQueryError(
        `The emulator filters only on '${navigation}/any(…)' or '${navigation}/all(…)' of a collection-valued navigation property of ${entity.logicalName}.`,
      );
    this.take("(");
    if (this.peek()?.text === ")") {
      this.take(")");
      return { kind: "lambda", op, navigation, from, entity, variable: "", body: null };
    }
    const variable = this.take().text;
    if (this.variables.has(variable)) throw new ODataQueryError(`The lambda variable '${variable}' is already in use.`);
    this.take(":");
    this.variables.set(variable, target);
    const body = this.or();
    this.variables.delete(variable);
    this.take(")");
    return { kind: "lambda", op, navigation, from, entity, variable, body };
  }

  private property(entity: EntityDef, name: string, of?: string): Node {
    const column = columnOfProperty(entity, name);
    if (!column)
      throw new ODataQueryError(`Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${entity.logicalName}'.`);
    return { kind: "property", column: column.column, ...(of ? { of } : {}) };
  }
}

function normalize(value: unknown): Value {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value.toLowerCase();
  if (typeof value === "number" || typeof value === "boolean") return value;
  return textOf(value).toLowerCase();
}

/** What a node is evaluated against: the row, and inside lambdas the item each variable stands for. */
interface Scope {
  row: Row;
  items: ReadonlyMap<string, Row>;
  related: RelatedRows;
}

type Evaluate = (scope: Scope) => Value;

/**
 * `property eq literal or property eq literal …` on one column, as the audit sends in batches of ids:
 * the column and the normalized literals, or null when the node is anything else.
 */
function equalityRun(node: Node): { column: string; of?: string; values: Value[] } | null {
  if (node.kind === "compare" && node.op === "eq" && node.left.kind === "property" && node.right.kind === "literal")
    return { column: node.left.column, of: node.left.of, values: [normalize(node.right.value)] };
  if (node.kind !== "logical" || node.op !== "or") return null;
  const left = equalityRun(node.left);
  const right = equalityRun(node.right);
  if (!left || left.column !== right?.column || left.of !== right.of) return null;
  return { ...left, values: [...left.values, ...right.values] };
}

/** The row a property or a navigation belongs to: the row itself, or a lambda variable's item. */
const subjectOf = (scope: Scope, of: string | undefined): Row | undefined => (of ? scope.items.get(of) : scope.row);

/** Turns the tree into closures once, so a filter over many rows pays for parsing and literals once. */
function compileNode(node: Node): Evaluate {
  const run = node.kind === "logical" ? equalityRun(node) : null;
  if (run && run.values.length > 2) {
    const values = new Set(run.values);
    return (scope) => values.has(normalize(subjectOf(scope, run.of)?.[run.column]));
  }
  switch (node.kind) {
    case "literal": {
      const value = normalize(node.value);
      return () => value;
    }
    case "property": {
      const { column, of } = node;
      return (scope) => normalize(subjectOf(scope, of)?.[column]);
    }
    case "lambda": {
      const body = node.body ? compileNode(node.body) : null;
      const { navigation, from, entity, variable } = node;
      return (scope) => {
        const subject = subjectOf(scope, from);
        const items = subject ? scope.related(entity, subject, navigation) : [];
        const holds = (item: Row) => !body || Boolean(body({ ...scope, items: new Map(scope.items).set(variable, item) }));
        return node.op === "any" ? items.some(holds) : items.every(holds);
      };
    }
    case "not": {
      const operand = compileNode(node.operand);
      return (scope) => !operand(scope);
    }
    case "logical": {
      const left = compileNode(node.left);
      const right = compileNode(node.right);
      return node.op === "and"
        ? (scope) => Boolean(left(scope)) && Boolean(right(scope))
        : (scope) => Boolean(left(scope)) || Boolean(right(scope));
    }
    case "call": {
      const [haystackOf, needleOf] = node.args.map(compileNode);
      const name = node.name;
      return (scope) => {
        const haystack = haystackOf(scope);
        const needle = needleOf?.(scope);
        if (typeof haystack !== "string" || typeof needle !== "string") return false;
        if (name === "contains") return haystack.includes(needle);
        return name === "startswith" ? haystack.startsWith(needle) : haystack.endsWith(needle);
      };
    }
    case "compare": {
      const leftOf = compileNode(node.left);
      const rightOf = compileNode(node.right);
      const op = node.op;
      return (scope) => {
        const left = leftOf(scope);
        const right = rightOf(scope);
        if (op === "eq") return left === right;
        if (op === "ne") return left !== right;
        if (left === null || right === null) return false;
        if (op === "gt") return left > right;
        if (op === "ge") return left >= right;
        if (op === "lt") return left < right;
        return left <= right;
      };
    }
  }
}

/**
 * Compiles a `$filter` expression into a row predicate, or throws ODataQueryError. Without `related`
 * (the `$filter` inside an `$expand`) a lambda operator is refused.
 */
export function compileFilter(
  filter: string,
  entity: EntityDef,
  related: RelatedRows | null = null,
): ((row: Row) => boolean) & { tables: ReadonlySet<string> } {
  const parser = new Parser(tokenize(filter), entity, related !== null);
  const evaluate = compileNode(parser.parse());
  return Object.assign((row: Row) => Boolean(evaluate({ row, items: new Map(), related: related ?? (() => []) })), {
    tables: parser.tables,
  });
}
