/**
 * Test vectors from go-ethereum `p2p/dnsdisc/tree_test.go` and `client_test.go` (the example tree
 * of EIP-1459, signed by geth's test key), copied as data.
 * @module
 */

import { hexToBytes } from '@ethp2p/crypto';

/** geth `signingKeyForTesting`: the key that signs the example tree. */
export const SIGNING_KEY_HEX = 'dc599867fc513f8f5e2c2c9c489cde5e71362d1d9ec6e693e0de063236ed1240';
/** {@link SIGNING_KEY_HEX} as bytes. */
export const signingKey: Uint8Array = hexToBytes(SIGNING_KEY_HEX);

/** The example tree's URL at domain `n` (geth `TestClientSyncTree`). */
export const EXAMPLE_URL = 'enrtree://AKPYQIUQIL7PSIACI32J7FGZW56E5FKHEFCCOFHILBIMW3M6LWXS2@n';

/** The example tree's nodes (geth `TestClientSyncTree`, EIP-1459 "Example"). */
export const EXAMPLE_NODES = [
  'enr:-HW4QOFzoVLaFJnNhbgMoDXPnOvcdVuj7pDpqRvh6BRDO68aVi5ZcjB3vzQRZH2IcLBGHzo8uUN3snqmgTiE56CH3AMBgmlkgnY0iXNlY3AyNTZrMaECC2_24YYkYHEgdzxlSNKQEnHhuNAbNlMlWJxrJxbAFvA',
  'enr:-HW4QAggRauloj2SDLtIHN1XBkvhFZ1vtf1raYQp9TBW2RD5EEawDzbtSmlXUfnaHcvwOizhVYLtr7e6vw7NAf6mTuoCgmlkgnY0iXNlY3AyNTZrMaECjrXI8TLNXU0f8cthpAMxEshUyQlK-AM0PW2wfrnacNI',
  'enr:-HW4QLAYqmrwllBEnzWWs7I5Ev2IAs7x_dZlbYdRdMUx5EyKHDXp7AV5CkuPGUPdvbv1_Ms1CPfhcGCvSElSosZmyoqAgmlkgnY0iXNlY3AyNTZrMaECriawHKWdDRk2xeZkrOXBQ0dfMFLHY4eENZwdufn1S1o',
] as const;

/** The example tree's link. */
export const EXAMPLE_LINK =
  'enrtree://AM5FCQLWIZX2QFPNJAP7VUERCCRNGRHWZG3YYHIUV7BVDQ5FDPRT2@morenodes.example.org';

/** The example tree's TXT records by name (geth `TestClientSyncTree`). */
export const EXAMPLE_TXT: Readonly<Record<string, string>> = {
  n: 'enrtree-root:v1 e=JWXYDBPXYWG6FX3GMDIBFA6CJ4 l=C7HRFPF3BLGF3YR4DY5KX3SMBE seq=1 sig=o908WmNp7LibOfPsr4btQwatZJ5URBr2ZAuxvK4UWHlsB9sUOTJQaGAlLPVAhM__XJesCHxLISo94z5Z2a463gA',
  'C7HRFPF3BLGF3YR4DY5KX3SMBE.n': EXAMPLE_LINK,
  'JWXYDBPXYWG6FX3GMDIBFA6CJ4.n':
    'enrtree-branch:2XS2367YHAXJFGLZHVAWLQD4ZY,H4FHT4B454P6UXFD7JCYQ5PWDY,MHTDO6TMUBRIA2XWG5LUDACK24',
  '2XS2367YHAXJFGLZHVAWLQD4ZY.n': EXAMPLE_NODES[0],
  'H4FHT4B454P6UXFD7JCYQ5PWDY.n': EXAMPLE_NODES[1],
  'MHTDO6TMUBRIA2XWG5LUDACK24.n': EXAMPLE_NODES[2],
};

/** A tree whose node entry is `enr:-----` (geth `TestClientSyncTreeBadNode`). */
export const BAD_NODE_TXT: Readonly<Record<string, string>> = {
  n: 'enrtree-root:v1 e=INDMVBZEEQ4ESVYAKGIYU74EAA l=C7HRFPF3BLGF3YR4DY5KX3SMBE seq=3 sig=Vl3AmunLur0JZ3sIyJPSH6A3Vvdp4F40jWQeCmkIhmcgwE4VC5U9wpK8C_uL_CMY29fd6FAhspRvq2z_VysTLAA',
  'C7HRFPF3BLGF3YR4DY5KX3SMBE.n': EXAMPLE_LINK,
  'INDMVBZEEQ4ESVYAKGIYU74EAA.n': 'enr:-----',
};

/** geth `TestParseRoot`: input, then the error code or the parsed root. */
export const ROOT_CASES = [
  {
    input:
      'enrtree-root:v1 e=TO4Q75OQ2N7DX4EOOR7X66A6OM seq=3 sig=N-YY6UB9xD0hFx1Gmnt7v0RfSxch5tKyry2SRDoLx7B4GfPXagwLxQqyf7gAMvApFn_ORwZQekMWa_pXrcGCtw',
    code: 'INVALID_SYNTAX',
  },
  {
    input:
      'enrtree-root:v1 e=TO4Q75OQ2N7DX4EOOR7X66A6OM l=TO4Q75OQ2N7DX4EOOR7X66A6OM seq=3 sig=N-YY6UB9xD0hFx1Gmnt7v0RfSxch5tKyry2SRDoLx7B4GfPXagwLxQqyf7gAMvApFn_ORwZQekMWa_pXrcGCtw',
    code: 'INVALID_SIGNATURE',
  },
  {
    input:
      'enrtree-root:v1 e=QFT4PBCRX4XQCV3VUYJ6BTCEPU l=JGUFMSAGI7KZYB3P7IZW4S5Y3A seq=3 sig=3FmXuVwpa8Y7OstZTx9PIb1mt8FrW7VpDOFv4AaGCsZ2EIHmhraWhe4NxYhQDlw5MjeFXYMbJjsPeKlHzmJREQE',
    root: {
      enrRoot: 'QFT4PBCRX4XQCV3VUYJ6BTCEPU',
      linkRoot: 'JGUFMSAGI7KZYB3P7IZW4S5Y3A',
      seq: 3,
      signatureHex:
        'dc5997b95c296bc63b3acb594f1f4f21bd66b7c16b5bb5690ce16fe006860ac6761081e686b69685ee0dc588500e5c393237855d831b263b0f78a947ce62511101',
    },
  },
] as const;

/** geth `TestParseEntry`: input, then the error code or what it parses to. */
export const ENTRY_CASES = [
  { input: 'enrtree-branch:1,2', code: 'INVALID_CHILD' },
  {
    input: 'enrtree-branch:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    code: 'INVALID_CHILD',
  },
  { input: 'enrtree-branch:', children: [] },
  { input: 'enrtree-branch:AAAAAAAAAAAAAAAAAAAA', children: ['AAAAAAAAAAAAAAAAAAAA'] },
  {
    input: 'enrtree-branch:AAAAAAAAAAAAAAAAAAAA,BBBBBBBBBBBBBBBBBBBB',
    children: ['AAAAAAAAAAAAAAAAAAAA', 'BBBBBBBBBBBBBBBBBBBB'],
  },
  {
    input: 'enrtree://AKPYQIUQIL7PSIACI32J7FGZW56E5FKHEFCCOFHILBIMW3M6LWXS2@nodes.example.org',
    domain: 'nodes.example.org',
  },
  { input: 'enrtree://nodes.example.org', code: 'NO_PUBKEY' },
  {
    input: 'enrtree://AP62DT7WOTEQZGQZOU474PP3KMEGVTTE7A7NPRXKX3DUD57@nodes.example.org',
    code: 'BAD_PUBKEY',
  },
  {
    input: 'enrtree://AP62DT7WONEQZGQZOU474PP3KMEGVTTE7A7NPRXKX3DUD57TQHGIA@nodes.example.org',
    code: 'BAD_PUBKEY',
  },
  {
    input:
      'enr:-HW4QES8QIeXTYlDzbfr1WEzE-XKY4f8gJFJzjJL-9D7TC9lJb4Z3JPRRz1lP4pL_N_QpT6rGQjAU9Apnc-C1iMP36OAgmlkgnY0iXNlY3AyNTZrMaED5IdwfMxdmR8W37HqSFdQLjDkIwBd4Q_MjxgZifgKSdM',
    record: true,
  },
  {
    input:
      'enr:-HW4QLZHjM4vZXkbp-5xJoHsKSbE7W39FPC8283X-y8oHcHPTnDDlIlzL5ArvDUlHZVDPgmFASrh7cWgLOLxj4wprRkHgmlkgnY0iXNlY3AyNTZrMaEC3t2jLMhDpCDX5mbSEwDn4L3iUfyXzoO8G28XvjGRkrAg=',
    code: 'INVALID_ENR',
  },
  { input: '', code: 'UNKNOWN_ENTRY' },
  { input: 'foo', code: 'UNKNOWN_ENTRY' },
  { input: 'enrtree', code: 'UNKNOWN_ENTRY' },
  { input: 'enrtree-x=', code: 'UNKNOWN_ENTRY' },
] as const;

/** The example tree in one object. */
export const EXAMPLE = {
  url: EXAMPLE_URL,
  link: EXAMPLE_LINK,
  nodes: EXAMPLE_NODES,
  txt: EXAMPLE_TXT,
} as const;
