// The NATS API of the location service: location.v1.save, location.v1.lookup and
// location.v1.resolve-alias, each served in the "location" queue group, and the
// alias-changed events every instance hears.

import {
  AliasChangedEventSchema,
  type Binding,
  LocationLookupRequestSchema,
  type LocationLookupResponse,
  LocationLookupResponseSchema,
  LocationSaveRequestSchema,
  type LocationSaveResponse,
  LocationSaveResponseSchema,
  type LookupContact,
  ResolveAliasRequestSchema,
  type ResolveAliasResponse,
  ResolveAliasResponseSchema,
  type Subjects,
} from "@switchboard/contracts";
import type { Clock } from "@switchboard/kit";
import {
  DeadlineExceededError,
  type Listener,
  type Logger,
  type NatsConnection,
  type RpcMetrics,
  serve,
  subscribeEvents,
  withTimeout,
} from "@switchboard/kit";
import type { AliasDirectory } from "./alias-directory.js";
import { remainingSeconds, type StoredBinding } from "./binding.js";
import type { LocationStore, SaveResult } from "./location-store.js";
import type { LocationMetrics } from "./metrics.js";
import { StorageUnavailableError } from "./persistence.js";
import { storageFailure } from "./storage-failure.js";

export const QUEUE_GROUP = "location";

export interface ResponderDeps {
  readonly nc: NatsConnection;
  readonly subjects: Subjects;
  readonly store: LocationStore;
  readonly aliases: AliasDirectory;
  readonly clock: Clock;
  readonly metrics: LocationMetrics;
  readonly rpcMetrics: RpcMetrics;
  readonly logger: Logger;
  /** A save not settled by then is answered `unavailable` (it still applies if it commits). */
  readonly saveDeadlineMs: number;
}

// The contract's expires is at least 1 for a listed binding: one expiring within the second
// is still there.
const expiresOf = (binding: StoredBinding, now: number): number =>
  Math.max(1, remainingSeconds(binding, now));

function bindingReply(binding: StoredBinding, now: number): Binding {
  return {
    uri: binding.contact,
    expires: expiresOf(binding, now),
    q: binding.q,
    ...(binding.instance === null ? {} : { instance: binding.instance }),
    ...(binding.regId === null ? {} : { regId: binding.regId }),
  };
}

function lookupReply(binding: StoredBinding, now: number): LookupContact {
  return {
    ...bindingReply(binding, now),
    ...(binding.received === null ? {} : { received: binding.received }),
    ...(binding.path === null ? {} : { path: [...binding.path] }),
    ...(binding.socket === null ? {} : { socket: binding.socket }),
  };
}

export function serveLocation(deps: ResponderDeps): Listener[] {
  const { nc, subjects, store, aliases, clock, metrics, logger } = deps;
  const options = { logger, metrics: deps.rpcMetrics };

  const save = serve(
    nc,
    subjects.locationSave,
    QUEUE_GROUP,
    LocationSaveRequestSchema,
    LocationSaveResponseSchema,
    async (request): Promise<LocationSaveResponse> => {
      let result: SaveResult;
      try {
        result = await withTimeout(
          store.save(request.aor, request),
          deps.saveDeadlineMs,
          "saving the bindings",
        );
      } catch (error) {
        if (error instanceof DeadlineExceededError) {
          metrics.save("unavailable");
          // The save goes on and applies if MySQL commits it; the REGISTER's retransmission
          // or refresh then finds it.
          throw new StorageUnavailableError("MySQL did not commit in time", { cause: error });
        }
        if (error instanceof StorageUnavailableError) metrics.save("unavailable");
        throw error;
      }
      metrics.save(result.ok ? "ok" : result.reason);
      if (!result.ok) return result;
      const now = clock.now();
      return { ok: true, bindings: result.bindings.map((binding) => bindingReply(binding, now)) };
    },
    options,
  );

  const lookup = serve(
    nc,
    subjects.locationLookup,
    QUEUE_GROUP,
    LocationLookupRequestSchema,
    LocationLookupResponseSchema,
    async (request): Promise<LocationLookupResponse> => {
      const bindings = await store.lookup(request.aor);
      metrics.lookup(bindings.length > 0);
      const now = clock.now();
      return { contacts: bindings.map((binding) => lookupReply(binding, now)) };
    },
    options,
  );

  const resolveAlias = serve(
    nc,
    subjects.locationResolveAlias,
    QUEUE_GROUP,
    ResolveAliasRequestSchema,
    ResolveAliasResponseSchema,
    async (request): Promise<ResolveAliasResponse> => {
      try {
        return { target: await aliases.resolve(request) };
      } catch (error) {
        throw storageFailure("could not read the aliases from MySQL", error);
      }
    },
    options,
  );

  const aliasChanges = subscribeEvents(
    nc,
    subjects.aliasChanged,
    AliasChangedEventSchema,
    (alias) => aliases.forget(alias),
    { logger },
  );

  return [save, lookup, resolveAlias, aliasChanges];
}
