// A worker checks, before it polls, that the server knows Trainflow's search attributes: a run on
// a server that lacks one (say, a dev server started by an older checkout) would otherwise fail
// every workflow task at its end with BadSearchAttributes, and retry it forever. Missing ones are
// registered when the server allows it (the dev server does); otherwise the worker says which.
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

const INDEXED = temporal.api.enums.v1.IndexedValueType;

export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = SEARCH_ATTRIBUTES.filter((k) => !customAttributes || !(k.name in customAttributes));
  if (!missing.length) return [];
  const searchAttributes = Object.fromEntries(missing.map((k) => [k.name, INDEXED[`INDEXED_VALUE_TYPE_${k.type}` as keyof typeof INDEXED]]));
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (err) {
    const names = missing.map((k) => `${k.name}=${k.type}`).join(', ');
    throw new Error(`the Temporal namespace '${namespace}' lacks Trainflow's search attributes (${names}) and they could not be added (${(err as Error).message}); register them, e.g. \`temporal operator search-attribute create --name ${missing[0].name} --type ${missing[0].type}\``);
  }
  return missing.map((k) => k.name);
}
