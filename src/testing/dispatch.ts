import type { OperationEntry } from "../../generated/runtime.js";
import type { FakeFireworks, FakeRequest } from "./fake-server.js";
import { type FakeReply, fakeError } from "./replies.js";
import { createRoutes } from "./routes.js";
import { checkBody, checkPathParams, checkQuery, type FakeQueryValue } from "./validation.js";

/** A request the table routed and checked, as a behaviour gets it. */
export interface FakeCall {
  /** The operation the table routed the request to: `cancelRlorTrainerJob`. */
  operationId: string;
  /** Path parameters by name, decoded and checked: `account_id`, `rlor_trainer_job_id`. */
  params: Readonly<Record<string, string>>;
  /** The query parameters the operation declares, read by their type. */
  query: Readonly<Record<string, FakeQueryValue>>;
  /** The JSON body; `{}` when the operation takes none or the request sent none. */
  body: Readonly<Record<string, unknown>>;
  /** The request as the server logged it. */
  request: FakeRequest;
  /** The server, to read or change its jobs. */
  fake: FakeFireworks;
}

/** What an operation does: the one part of the fake written by hand, per operationId. */
export type FakeBehaviour = (call: FakeCall) => FakeReply | Promise<FakeReply>;

/**
 * Routes and checks requests from the operation table, then hands them to the behaviour of
 * their operation. Only the account `accountId` is served; an operation without a behaviour
 * answers 501 UNIMPLEMENTED.
 */
export function createDispatcher(operations: readonly OperationEntry[], accountId: string) {
  const routes = createRoutes(operations);
  const known = new Set(operations.map((entry) => entry.operationId));
  const behaviours = new Map<string, FakeBehaviour>();

  return {
    /** Sets what `operationId` does; throws for an id that is not in the table. */
    handle(operationId: string, behaviour: FakeBehaviour): void {
      if (!known.has(operationId)) {
        throw new Error(
          `fake server: no operation ${JSON.stringify(operationId)} in the operation table`,
        );
      }
      behaviours.set(operationId, behaviour);
    },

    async dispatch(request: FakeRequest, fake: FakeFireworks): Promise<FakeReply> {
      // The path as sent, not URL-normalised: ".." must reach the id check, not resolve away.
      const queryStart = request.url.indexOf("?");
      const path = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
      const search = queryStart === -1 ? "" : request.url.slice(queryStart + 1);
      const match = routes.match(request.method, path);
      if (!("entry" in match)) return match;
      const { entry } = match;
      const params = checkPathParams(entry, match.rawParams);
      if (!params.ok) return params.reply;
      const account = params.value.account_id;
      if (account !== undefined && account !== accountId) return fakeError("PERMISSION_DENIED", "");
      const query = checkQuery(entry, new URLSearchParams(search));
      if (!query.ok) return query.reply;
      const body = checkBody(entry, request.body);
      if (!body.ok) return body.reply;
      const behaviour = behaviours.get(entry.operationId);
      if (behaviour === undefined) {
        return fakeError(
          "UNIMPLEMENTED",
          `the fake server has no behaviour for ${entry.operationId}: give it one with handle()`,
        );
      }
      return behaviour({
        operationId: entry.operationId,
        params: params.value,
        query: query.value,
        body: body.value,
        request,
        fake,
      });
    },
  };
}
