import express, { type Request, type RequestHandler, type Response } from "express";
import { z } from "zod";
import { gate, type Access } from "../auth/tokenGate";
import { ErrorBody, MAX_BODY_BYTES } from "./schemas";
import { HttpError, errorBody } from "./errors";

type Method = "get" | "post" | "patch" | "delete";

/**
 * A link for the OpenAPI document: after this response, `operation` ("get /jobs/:id") can be
 * called with `parameters` taken from it (runtime expressions such as `$response.body#/id`).
 */
export interface LinkSpec {
  operation: `${Method} /${string}`;
  parameters?: Record<string, string>;
  /** Fields of the target's body taken from this response; the client fills in the rest. */
  requestBody?: Record<string, string>;
  description: string;
}

export interface ResponseSpec {
  description: string;
  /** The JSON body; for `events`, unused. */
  schema?: z.ZodType;
  /** A plain-text body of this media type (e.g. Prometheus' text format). */
  text?: string;
  /** A server-sent-events body: event name → schema of its JSON `data`; `withId` when each carries an `id`. */
  events?: { withId: boolean; data: Record<string, z.ZodType> };
  links?: Record<string, LinkSpec>;
}

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * The route's own statuses. The ones every route of its kind can give (400 for its inputs, 401
   * and 403 behind the token gate, 413 and 415 for a body) are added by the Api; a route names
   * them only to describe them better.
   */
  responses: Record<number, ResponseSpec>;
}

type Input<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface Handler<P, Q, B> {
  (input: { params: Input<P>; query: Input<Q>; body: Input<B> }, req: Request, res: Response): unknown;
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ in: where, path: i.path.join("."), message: i.message }));
  const first = details[0];
  const at = first.path ? `${where}.${first.path}` : where;
  throw new HttpError(400, "invalid_request", `${at}: ${first.message}`, details);
}

const jsonBody = express.json({ limit: MAX_BODY_BYTES });

const requireJson: RequestHandler = (req, _res, next) => {
  if (!req.is("application/json")) {
    throw new HttpError(415, "unsupported_media_type", "send the body as JSON with Content-Type: application/json");
  }
  next();
};

/** The statuses a route gives whatever its handler does, from what it declares it takes. */
function standardResponses(s: RouteSpec<z.ZodType, z.ZodType, z.ZodType>): Record<number, ResponseSpec> {
  const out: Record<number, ResponseSpec> = {};
  const inputs = [s.params && "path", s.query && "query", s.body && "body"].filter(Boolean);
  if (inputs.length) out[400] = { description: `Invalid ${inputs.join(", ")}`, schema: ErrorBody };
  if (s.access.kind !== "public") {
    out[401] = { description: "No bearer token, or one the broker does not know (WWW-Authenticate says which)", schema: ErrorBody };
    out[403] = { description: "A valid agent token outside its scope (it opens only that agent's own routes)", schema: ErrorBody };
  }
  if (s.body) {
    out[413] = { description: `Body larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`, schema: ErrorBody };
    out[415] = { description: "Body not sent as application/json", schema: ErrorBody };
  }
  return out;
}

const openapiPath = (path: string) => path.replace(/:(\w+)/g, "{$1}");

/** RFC 6901: `/` in a path is `~1` inside a JSON pointer. */
const operationRef = (op: LinkSpec["operation"]) => {
  const [method, path] = op.split(" ");
  return `#/paths/${openapiPath(path).replace(/~/g, "~0").replace(/\//g, "~1")}/${method}`;
};

/**
 * One table of routes feeds both Express and the OpenAPI document, so the docs cannot drift from
 * what the handlers validate.
 */
export class Api {
  readonly router = express.Router();
  /** Mounted after `router`: a known path asked with a method it does not serve gets 405 with `Allow`. */
  readonly methodNotAllowed = express.Router();
  private readonly specs: RouteSpec<z.ZodType, z.ZodType, z.ZodType>[] = [];

  constructor(
    private readonly brokerToken: string,
    private readonly knownAgentIds: () => Iterable<string>,
  ) {}

  add<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(spec: RouteSpec<P, Q, B>, handler: Handler<P, Q, B>): void {
    const s = spec as unknown as RouteSpec<z.ZodType, z.ZodType, z.ZodType>;
    if (this.specs.some((o) => o.path === s.path && o.method === s.method)) throw new Error(`route ${s.method} ${s.path} added twice`);
    if (!this.specs.some((o) => o.path === s.path)) this.methodNotAllowed.all(s.path, (req, res) => this.refuseMethod(s.path, req, res));
    this.specs.push(s);
    // The body is read before the gate: an agent's register route names the agent in it.
    const body: RequestHandler[] = spec.body ? [requireJson, jsonBody] : [];
    this.router[spec.method](spec.path, ...body, gate(this.brokerToken, spec.access, this.knownAgentIds), async (req, res) => {
      const input = {
        params: parse(spec.params, req.params, "path"),
        query: parse(spec.query, req.query, "query"),
        body: parse(spec.body, req.body, "body"),
      } as { params: Input<P>; query: Input<Q>; body: Input<B> };
      await handler(input, req, res);
    });
  }

  private allowed(path: string): string[] {
    const methods = this.specs.filter((s) => s.path === path).map((s) => s.method.toUpperCase());
    // Express answers HEAD wherever it answers GET.
    if (methods.includes("GET")) methods.push("HEAD");
    return methods.sort();
  }

  private refuseMethod(path: string, req: Request, res: Response): void {
    const allow = this.allowed(path).join(", ");
    res.set("Allow", allow).status(405).json(errorBody("method_not_allowed", `${req.method} is not served on ${openapiPath(path)}; allowed: ${allow}`));
  }

  openapi(info: { title: string; version: string }): object {
    const paths: Record<string, Record<string, object>> = {};
    for (const s of this.specs) {
      const pathParams = s.params ? Object.entries((s.params as unknown as z.ZodObject).shape) : [];
      const queryParams = s.query ? Object.entries((s.query as unknown as z.ZodObject).shape) : [];
      const parameters = [
        ...pathParams.map(([name, schema]) => ({ name, in: "path", required: true, schema: jsonSchema(schema as z.ZodType, "input") })),
        ...queryParams.map(([name, schema]) => ({
          name,
          in: "query",
          required: !(schema as z.ZodType).safeParse(undefined).success,
          schema: jsonSchema(schema as z.ZodType, "input"),
        })),
      ];
      for (const r of Object.values(s.responses)) {
        for (const l of Object.values(r.links ?? {})) {
          if (!this.specs.some((o) => `${o.method} ${o.path}` === l.operation)) throw new Error(`${s.method} ${s.path} links to unknown ${l.operation}`);
        }
      }
      const all = { ...standardResponses(s), ...s.responses };
      const responses = Object.fromEntries(Object.entries(all).map(([status, r]) => [status, responseObject(Number(status), r)]));
      const path = openapiPath(s.path);
      paths[path] ??= {};
      paths[path][s.method] = {
        summary: s.summary,
        tags: [s.tag],
        security: s.access.kind === "public" ? [] : [{ bearer: [] }],
        ...(parameters.length ? { parameters } : {}),
        ...(s.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(s.body, "input") } } } } : {}),
        responses,
      };
    }
    return {
      openapi: "3.1.0",
      info,
      components: {
        securitySchemes: {
          bearer: {
            type: "http",
            scheme: "bearer",
            description: "The broker token; an agent's own token (HMAC of its id) only on that agent's auth and register routes",
          },
        },
      },
      security: [{ bearer: [] }],
      paths,
    };
  }
}

function responseObject(status: number, r: ResponseSpec): object {
  const content = r.events
    ? { "text/event-stream": { schema: sseEventSchema(r.events) } }
    : r.text
      ? { [r.text]: { schema: { type: "string" } } }
      : r.schema
        ? { "application/json": { schema: jsonSchema(r.schema, "output") } }
        : undefined;
  const headers =
    status === 401
      ? { "WWW-Authenticate": { description: "`Bearer realm=...`, with `error=\"invalid_token\"` when a token was sent", schema: { type: "string" } } }
      : undefined;
  const links = r.links
    ? Object.fromEntries(
        Object.entries(r.links).map(([name, { operation, ...rest }]) => [name, { operationRef: operationRef(operation), ...rest }]),
      )
    : undefined;
  return { description: r.description, ...(headers ? { headers } : {}), ...(content ? { content } : {}), ...(links ? { links } : {}) };
}

/**
 * Open API 3.1 describes an event stream by the schema of one event: its name, its `id` when
 * sent, and its `data`, a JSON text whose own schema is `contentSchema`.
 */
function sseEventSchema(events: NonNullable<ResponseSpec["events"]>): object {
  return {
    oneOf: Object.entries(events.data).map(([name, data]) => ({
      type: "object",
      required: ["event", "data", ...(events.withId ? ["id"] : [])],
      properties: {
        event: { const: name },
        ...(events.withId ? { id: { type: "string", pattern: "^[0-9]+$" } } : {}),
        data: { type: "string", contentMediaType: "application/json", contentSchema: jsonSchema(data, "output") },
      },
    })),
  };
}

function jsonSchema(schema: z.ZodType, io: "input" | "output"): object {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}
