/**
 * The shape every part of the contract uses. A request is `name -> { params; result }`, an event
 * is `name -> payload`. Each domain file declares an interface of requests and a matching
 * `names` object; `satisfies` makes the compiler reject a request without its runtime name, so
 * main can check at start-up that every request has a handler.
 */
export interface RequestSpec<P, R> {
  params: P;
  result: R;
}

export type NameSet<T> = { readonly [K in keyof T]: true };

/** What a failed request carries across either transport. */
export interface ContractError {
  message: string;
  code: string;
  /** The request field at fault (a bad request). */
  field?: string;
}

/** A request the backend answered with an error, as both bridges (the IPC preload, the HTTP client) throw it to the page. */
export class RequestFailed extends Error {
  readonly code: string;
  readonly field?: string;
  constructor({ message, code, field }: ContractError) {
    super(message);
    this.name = 'RequestError';
    this.code = code;
    if (field !== undefined) this.field = field;
  }
}
