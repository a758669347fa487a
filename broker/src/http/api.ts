import express, { type Request, type Response } from "express";
import { z } from "zod";
import { gate, type Access } from "../auth/tokenGate";
import { HttpError } from "./errors";

type Method = "get" | "post" | "patch" | "delete";

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** Status → description and schema; `stream` marks text/event-stream responses. */
  responses: Record<number, { description: string; schema?: z.ZodType; stream?: boolean }>;
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

/**
 * One table of routes feeds both Express and the OpenAPI document, so the docs cannot drift from
 * what the handlers validate.
 */
export class Api {
  readonly router = express.Router();
  private readonly specs: RouteSpec<z.ZodType, z.ZodType, z.ZodType>[] = [];

  constructor(private readonly brokerToken: string) {}

  add<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(spec: RouteSpec<P, Q, B>, handler: Handler<P, Q, B>): void {
    this.specs.push(spec as unknown as RouteSpec<z.ZodType, z.ZodType, z.ZodType>);
    this.router[spec.method](spec.path, gate(this.brokerToken, spec.access), async (req, res) => {
      if (spec.body && !req.is("application/json")) {
        throw new HttpError(415, "unsupported_media_type", "send the body as JSON with Content-Type: application/json");
      }
      const input = {
        params: parse(spec.params, req.params, "path"),
        query: parse(spec.query, req.query, "query"),
        body: parse(spec.body, req.body, "body"),
      } as { params: Input<P>; query: Input<Q>; body: Input<B> };
      await handler(input, req, res);
    });
  }

  openapi(info: { title: string; version: string }): object {
    const paths: Record<string, Record<string, object>> = {};
    for (const s of this.specs) {
      const path = s.path.replace(/:(\w+)/g, "{$1}");
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
      const responses = Object.fromEntries(
        Object.entries(s.responses).map(([status, r]) => [
          status,
          {
            description: r.description,
            ...(r.schema
              ? { content: { [r.stream ? "text/event-stream" : "application/json"]: { schema: jsonSchema(r.schema, "output") } } }
              : r.stream
                ? { content: { "text/event-stream": { schema: { type: "string" } } } }
                : {}),
          },
        ]),
      );
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

function jsonSchema(schema: z.ZodType, io: "input" | "output"): object {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}
