import { associationTypeById } from './associations.ts';
import type { SandboxContext } from './context.ts';
import { createObjects, updateObjects, type WriteContext } from './crm-writes.ts';
import { HubSpotError, objectNotFound, validationError } from './errors.ts';
import { historyOf } from './object-view.ts';
import { ALL_SCOPES, type ObjectType } from './object-types.ts';
import {
  SANDBOX_USER,
  type AppRegistration,
  type RegisteredApp,
  type TokenResponse,
} from './oauth.ts';
import { Portal, type HistoryEntry, type StoredObject } from './portal.ts';
import type { CreateInput } from './request-schemas.ts';

/** How to seed a new portal; counts default to a small but realistic portal. */
export interface PortalSpec {
  readonly portalId?: number;
  readonly companies?: number;
  readonly deals?: number;
  readonly seed?: number;
  /** ISO instant the synthetic data is "as of"; today (midnight UTC) by default. */
  readonly asOf?: string;
  /** A fixed private-app token for the portal; a random one by default. */
  readonly accessToken?: string;
}

export interface PortalInfo {
  readonly portalId: number;
  /** A private-app token with every scope the sandbox checks (single-portal mode). */
  readonly accessToken: string;
}

/** The first sandbox portal id; later ones count up. */
const FIRST_PORTAL_ID = 9_000_001;

/** A user editing records in HubSpot's UI, as history and webhooks report it. */
export const USER_WRITE: WriteContext = {
  source: {
    sourceType: 'CRM_UI',
    sourceId: `userId:${SANDBOX_USER.id}`,
    updatedByUserId: SANDBOX_USER.id,
  },
  allowReadOnly: false,
};

function midnightToday(now: number): string {
  return `${new Date(now).toISOString().slice(0, 10)}T00:00:00.000Z`;
}

/**
 * The operations behind the sandbox's admin surface, shared by the
 * programmatic API and the `/__sandbox` routes. User edits go through the
 * same validation as API writes and fire webhooks like them.
 */
export class SandboxAdmin {
  readonly #context: SandboxContext;
  readonly #detach = new Map<number, () => void>();

  constructor(context: SandboxContext) {
    this.#context = context;
  }

  /** Adds a portal (restored from the state file or freshly built) and wires its webhooks. */
  addPortal(portal: Portal): void {
    if (this.#context.portals.has(portal.portalId)) {
      throw new HubSpotError(409, 'OBJECT_ALREADY_EXISTS', `Portal ${portal.portalId} exists.`);
    }
    this.#context.portals.set(portal.portalId, portal);
    this.#detach.set(portal.portalId, this.#context.webhooks.attach(portal));
  }

  /** Creates a portal seeded from `generatePortal` and a private-app token for it. */
  createPortal(spec: PortalSpec = {}): PortalInfo {
    const used = [...this.#context.portals.keys()];
    const portalId = spec.portalId ?? Math.max(FIRST_PORTAL_ID - 1, ...used) + 1;
    const portal = Portal.seeded(
      portalId,
      {
        companies: spec.companies ?? 200,
        deals: spec.deals ?? 2_000,
        seed: spec.seed ?? 42,
        asOf: spec.asOf ?? midnightToday(this.#context.now()),
      },
      this.#context.now,
    );
    this.addPortal(portal);
    return {
      portalId,
      accessToken: this.#context.oauth.addPrivateToken(portalId, ALL_SCOPES, spec.accessToken),
    };
  }

  /** Regenerates a seeded portal's data (same seed, same records); its tokens stay valid. */
  reseedPortal(portalId: number): void {
    const portal = this.portal(portalId);
    if (portal.seed === null) throw validationError(`Portal ${portalId} was not seeded.`);
    this.#detach.get(portalId)?.();
    this.#context.portals.delete(portalId);
    this.addPortal(Portal.seeded(portalId, portal.seed, this.#context.now));
  }

  portal(portalId: number): Portal {
    const portal = this.#context.portals.get(portalId);
    if (portal === undefined)
      throw new HubSpotError(404, 'OBJECT_NOT_FOUND', `Portal ${portalId} does not exist.`);
    return portal;
  }

  registerApp(registration: AppRegistration): RegisteredApp {
    return this.#context.oauth.registerApp(registration);
  }

  /** Installs an app in a portal without the browser round trip; returns its tokens. */
  installApp(
    appId: number,
    portalId: number,
    scopes: readonly string[] = ALL_SCOPES,
  ): TokenResponse {
    const app = this.#context.oauth.app(appId);
    if (app === undefined)
      throw new HubSpotError(404, 'OBJECT_NOT_FOUND', `App ${appId} does not exist.`);
    this.portal(portalId);
    return this.#context.oauth.install(app, portalId, scopes);
  }

  /** A user creates a record in HubSpot's UI. */
  createObject(portalId: number, type: ObjectType, input: CreateInput): StoredObject {
    const [created] = createObjects(this.portal(portalId), type, [input], USER_WRITE, false);
    if (created === undefined) throw new Error('create returned nothing');
    return created;
  }

  /** A user edits a record in HubSpot's UI. */
  updateObject(
    portalId: number,
    type: ObjectType,
    id: string,
    properties: CreateInput['properties'],
  ): StoredObject {
    const { updated } = updateObjects(
      this.portal(portalId),
      type,
      [{ id, properties }],
      USER_WRITE,
      false,
    );
    const [stored] = updated;
    if (stored === undefined) throw objectNotFound('Object not found.', [id]);
    return stored;
  }

  /** A user deletes a record. */
  archiveObject(portalId: number, type: ObjectType, id: string): void {
    const portal = this.portal(portalId);
    const stored = portal.live(type, id);
    if (stored === undefined) throw objectNotFound('Object not found.', [id]);
    portal.archive(type, stored, USER_WRITE.source);
  }

  /** A user associates two records (`typeId` seen from `fromType`). */
  associate(
    portalId: number,
    fromType: ObjectType,
    fromId: string,
    toId: string,
    typeId: number,
  ): void {
    const portal = this.portal(portalId);
    const definition = associationTypeById(fromType, typeId);
    if (definition === undefined)
      throw validationError(`No association type ${typeId} from ${fromType}.`);
    if (portal.live(fromType, fromId) === undefined)
      throw objectNotFound('Object not found.', [fromId]);
    if (portal.live(definition.toType, toId) === undefined)
      throw objectNotFound('Object not found.', [toId]);
    portal.associate(definition, fromId, toId, USER_WRITE.source);
  }

  /** A user removes every association between two records. */
  disassociate(
    portalId: number,
    fromType: ObjectType,
    fromId: string,
    toType: ObjectType,
    toId: string,
  ): void {
    this.portal(portalId).disassociate(fromType, fromId, toType, toId, USER_WRITE.source);
  }

  /** A property's history on one record, newest first. */
  propertyHistory(
    portalId: number,
    type: ObjectType,
    id: string,
    name: string,
  ): readonly HistoryEntry[] {
    const stored = this.portal(portalId).get(type, id);
    if (stored === undefined) throw objectNotFound('Object not found.', [id]);
    return historyOf(type, stored, name);
  }

  /** Revokes the app's tokens for a portal: its next refresh is refused (BAD_REFRESH_TOKEN). */
  revokeAppTokens(appId: number, portalId: number): number {
    this.portal(portalId);
    return this.#context.oauth.revokeAppTokens(appId, portalId);
  }

  /** Clears counters, rate-limit windows and faults (data stays). */
  resetCounters(): void {
    this.#context.stats.reset();
    this.#context.limiter.reset();
    this.#context.searchLimiter.reset();
    this.#context.faults.reset();
  }
}
