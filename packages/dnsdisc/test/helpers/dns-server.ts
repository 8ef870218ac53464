/**
 * A DNS server on loopback that answers TXT queries from a map (dns2 over UDP), splitting
 * records into character-strings of at most 255 bytes as a zone file would. For tests only.
 * @module
 */
import dns2 from 'dns2';

/** A running server: its address for `--dns.server` / `servers`, its records, and `close()`. */
export interface TxtServer {
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  /** Name → TXT record; may be changed while the server runs. */
  readonly records: Map<string, string>;
  /** The names asked for, in order. */
  readonly queried: string[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 and a free UDP port serving `records`. */
export async function serveTxt(records: ReadonlyMap<string, string>): Promise<TxtServer> {
  const served = new Map(records);
  const find = (name: string): string | undefined => {
    // Names are case-insensitive, and resolvers may vary the case of a query (DNS 0x20).
    const lower = name.toLowerCase();
    for (const [n, text] of served) if (n.toLowerCase() === lower) return text;
    return undefined;
  };
  const queried: string[] = [];
  const { Packet } = dns2;
  const server = dns2.createServer({
    udp: true,
    handle(request, send) {
      const response = Packet.createResponseFromRequest(request);
      for (const question of request.questions) {
        queried.push(question.name);
        const text = find(question.name);
        if (text === undefined || question.type !== Packet.TYPE.TXT) continue;
        const answer = {
          name: question.name,
          type: Packet.TYPE.TXT,
          class: Packet.CLASS.IN,
          ttl: 60,
          data: split(text),
        };
        // dns2 types answers as its Resource class; its encoder needs only these fields.
        response.answers.push(answer as unknown as (typeof response.answers)[number]);
      }
      void send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  return {
    address: `127.0.0.1:${addresses.udp?.port ?? 0}`,
    records: served,
    queried,
    close: () => server.close(),
  };
}

/** ASCII `text` in character-strings of at most 255 bytes (RFC 1035 §3.3.14). */
function split(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 255) out.push(text.slice(i, i + 255));
  return out;
}
