// Checks what expressions refer to: params, run fields, upstream stages' outputs, item/index.
import type { Expr } from './expr/ast';
import { withSuggestion, withSuggestionOrList } from './suggest';
import type { LocatedExpr } from './templates';
import type { NodeContext } from './yaml-nodes';

export const ROOT_NAMES = ['params', 'run', 'stages', 'item', 'index'];
export const RUN_FIELDS = ['id', 'workflowId', 'pipeline', 'logicalDate', 'startedAt'];
const STAGE_FIELDS = ['outputs', 'status'];

export interface ReferenceScope {
  params: ReadonlySet<string>;
  stageIds: ReadonlySet<string>;
  /** The stage whose expressions these are. */
  stage: string;
  /** Whether a stage is one of its transitive `needs`, and all of them (for messages). */
  isUpstream(id: string): boolean;
  upstream(): string[];
  /** Whether `item`/`index` are visible; otherwise why not. */
  itemVisible: true | string;
  /** Output names a stage declares, or undefined when unknown (then anything goes). */
  outputsOf(stage: string): readonly string[] | undefined;
}

interface PathKey {
  key: string;
  start: number;
  end: number;
}

interface Reference {
  root: string;
  start: number;
  end: number;
  path: PathKey[];
}

export function checkReferences(ctx: NodeContext, located: LocatedExpr, scope: ReferenceScope): void {
  const report = (start: number, end: number, code: Parameters<NodeContext['diag']['atOffsets']>[2], message: string) =>
    ctx.diag.atOffsets(located.offset + start, located.offset + end, code, message);
  collect(located.expr, (ref) => {
    const [first, second, third] = ref.path;
    switch (ref.root) {
      case 'params':
        if (first && !scope.params.has(first.key)) report(first.start, first.end, 'unknown-param', withSuggestionOrList(`unknown param '${first.key}'`, first.key, scope.params, 'params'));
        return;
      case 'run':
        if (first && !RUN_FIELDS.includes(first.key)) {
          report(first.start, first.end, 'unknown-name', withSuggestion(`unknown run field '${first.key}' (run has ${RUN_FIELDS.join(', ')})`, first.key, RUN_FIELDS));
        }
        return;
      case 'item':
      case 'index':
        if (scope.itemVisible !== true) report(ref.start, ref.start + ref.root.length, 'item-outside-foreach', `'${ref.root}' ${scope.itemVisible}`);
        return;
      case 'stages':
        if (first) checkStageReference(first, second, third, scope, report);
        return;
      default:
        report(ref.start, ref.start + ref.root.length, 'unknown-name', withSuggestion(`unknown name '${ref.root}' (expressions can use ${ROOT_NAMES.join(', ')})`, ref.root, ROOT_NAMES));
    }
  });
}

function checkStageReference(
  id: PathKey,
  field: PathKey | undefined,
  output: PathKey | undefined,
  scope: ReferenceScope,
  report: (start: number, end: number, code: 'unknown-stage' | 'not-upstream' | 'unknown-name' | 'unknown-output', message: string) => void,
): void {
  if (!scope.stageIds.has(id.key)) {
    const message = withSuggestion(`unknown stage '${id.key}'`, id.key, [...scope.stageIds].filter((s) => s !== scope.stage));
    const upstream = message.includes('Did you mean') ? [] : scope.upstream();
    const shown = upstream.length > 12 ? `${upstream.slice(0, 12).join(', ')}, … (${upstream.length} in all)` : upstream.join(', ');
    const listed = upstream.length === 0 ? '' : ` (upstream of '${scope.stage}': ${shown})`;
    report(id.start, id.end, 'unknown-stage', message + listed);
    return;
  }
  if (id.key === scope.stage) {
    report(id.start, id.end, 'not-upstream', `stage '${scope.stage}' cannot refer to its own results`);
    return;
  }
  if (!scope.isUpstream(id.key)) {
    report(id.start, id.end, 'not-upstream', `stage '${id.key}' is not upstream of '${scope.stage}': add it to needs`);
    return;
  }
  if (!field) return;
  if (!STAGE_FIELDS.includes(field.key)) {
    report(field.start, field.end, 'unknown-name', withSuggestion(`stages.${id.key} has no field '${field.key}' (expected outputs or status)`, field.key, STAGE_FIELDS));
    return;
  }
  const outputs = scope.outputsOf(id.key);
  if (field.key === 'outputs' && output && outputs && !outputs.includes(output.key)) {
    report(output.start, output.end, 'unknown-output', withSuggestion(`stage '${id.key}' has no output '${output.key}'`, output.key, outputs));
  }
}

/** Calls `onRef` for every name rooted chain (`a.b['c']`), statically known keys only. */
function collect(expr: Expr, onRef: (ref: Reference) => void): void {
  switch (expr.type) {
    case 'literal':
      return;
    case 'ident':
    case 'member':
    case 'index': {
      const chain: Expr[] = [];
      let base: Expr = expr;
      while (base.type === 'member' || base.type === 'index') {
        chain.unshift(base);
        base = base.object;
      }
      if (base.type === 'ident') onRef({ root: base.name, start: base.start, end: expr.end, path: staticPath(chain) });
      else collect(base, onRef);
      for (const link of chain) if (link.type === 'index') collect(link.index, onRef);
      return;
    }
    case 'unary':
      return collect(expr.operand, onRef);
    case 'binary':
      collect(expr.left, onRef);
      return collect(expr.right, onRef);
    case 'call':
      return expr.args.forEach((arg) => collect(arg, onRef));
    case 'array':
      return expr.items.forEach((item) => collect(item, onRef));
  }
}

function staticPath(chain: Expr[]): PathKey[] {
  const path: PathKey[] = [];
  for (const link of chain) {
    if (link.type === 'member') path.push({ key: link.property, start: link.end - link.property.length, end: link.end });
    else if (link.type === 'index' && link.index.type === 'literal' && link.index.value !== null) {
      path.push({ key: String(link.index.value), start: link.index.start, end: link.index.end });
    } else break;
  }
  return path;
}
