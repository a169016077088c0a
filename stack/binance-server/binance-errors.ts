// Binance's error bodies ({code, msg}) with the texts of binance-spot-api-docs errors.md.
export interface BinanceError {
  status: number;
  code: number;
  msg: string;
}

const bad = (code: number, msg: string): BinanceError => ({ status: 400, code, msg });

export const errors = {
  illegalChars: (param: string, legal: string) =>
    bad(-1100, `Illegal characters found in parameter '${param}'; legal range is '${legal}'.`),
  duplicateParam: () => bad(-1101, 'Duplicate values for a parameter detected.'),
  mandatory: (param: string) =>
    bad(-1102, `Mandatory parameter '${param}' was not sent, was empty/null, or malformed.`),
  unreadParams: (read: number, sent: number) =>
    bad(-1104, `Not all sent parameters were read; read '${read}' parameter(s) but was sent '${sent}'.`),
  badInterval: () => bad(-1120, 'Invalid interval.'),
  badSymbol: () => bad(-1121, 'Invalid symbol.'),
  invalidParam: (param: string) => bad(-1130, `Data sent for parameter '${param}' is not valid.`),
  startAfterEnd: () => bad(-1023, 'Start time is greater than end time.'),
  tooMuchWeight: (limit: number, per: string): BinanceError => ({
    status: 429,
    code: -1003,
    msg: `Too much request weight used; current limit is ${limit} request weight per ${per}. Please use WebSocket Streams for live updates to avoid polling the API.`,
  }),
  banned: (untilMs: number): BinanceError => ({
    status: 418,
    code: -1003,
    msg: `Way too much request weight used; IP banned until ${untilMs}. Please use WebSocket Streams for live updates to avoid bans.`,
  }),
};

export const errorJson = (e: BinanceError) => JSON.stringify({ code: e.code, msg: e.msg });
