// OF graph (ports and endpoints, Documentation/devicetree/bindings/graph.txt).
import type { Node } from '../../tree/model.js';
import type { DtcVersion } from '../table.js';
import type { Check, CheckContext } from '../types.js';
import { isValidPhandle } from '../../tree/phandles.js';
import { firstCell, hexDigits } from '../values.js';
import { factsOf } from './addresses.js';

export const graphNodes: Check = {
  id: 'graph_nodes',
  level: 'warning',
  description: 'tags port and ports nodes',
  node(ctx, node) {
    const facts = factsOf(ctx);
    for (const child of node.nodes) {
      if (child.baseName !== 'endpoint' && !child.getProperty('remote-endpoint')) continue;
      // dtc 1.6.1 crashes here; later dtc reports it
      if (!node.parent) {
        ctx.report(node, `root node contains endpoint node '${child.name}', potentially misplaced remote-endpoint property`);
        continue;
      }
      facts.setBus(node, 'graph-port');
      if (!facts.bus(node.parent) && (node.parent.name === 'ports' || node.getProperty('reg'))) {
        facts.setBus(node.parent, 'graph-ports');
      }
      break;
    }
  },
};

function checkGraphReg(ctx: CheckContext, node: Node): void {
  const reg = node.getProperty('reg');
  if (!reg) return;
  if (reg.value.bytes.length !== 4) {
    ctx.report(node, "graph node malformed 'reg' property");
    return;
  }
  const expected = hexDigits(firstCell(reg));
  if (node.unitAddress !== expected) ctx.report(node, `graph node unit address error, expected "${expected}"`);
  const facts = factsOf(ctx);
  const parent = node.parent!;
  const ac = facts.addrCellsRaw(parent);
  const sc = facts.sizeCellsRaw(parent);
  // dtc names this node's own #address-cells / #size-cells, when it has them
  const acProp = node.getProperty('#address-cells');
  const scProp = node.getProperty('#size-cells');
  if (ac !== 1) ctx.report(node, `graph node '#address-cells' is ${ac}, must be 1`, acProp ? { property: acProp } : {});
  if (sc !== 0) ctx.report(node, `graph node '#size-cells' is ${sc}, must be 0`, scProp ? { property: scProp } : {});
}

function checkGraphName(ctx: CheckContext, node: Node, want: 'port' | 'endpoint'): void {
  if (node.baseName !== want) ctx.report(node, `graph ${want} node name should be '${want}'`);
}

// dtc 1.7.1+ checks reg first and, in overlays, nothing else (an overlay's names and
// links may be the base's business); dtc 1.6.1 checks the name first, overlays too.
function graphPortRow(v: DtcVersion): Check {
  return {
    id: 'graph_port',
    level: 'warning',
    requires: ['graph_nodes'],
    description: "port nodes are named 'port' with a matching reg",
    node(ctx, node) {
      if (factsOf(ctx).bus(node) !== 'graph-port') return;
      if (v === '1.6.1') checkGraphName(ctx, node, 'port');
      checkGraphReg(ctx, node);
      if (v !== '1.6.1' && !ctx.tree.plugin) checkGraphName(ctx, node, 'port');
    },
  };
}

function remoteEndpoint(ctx: CheckContext, endpoint: Node): Node | undefined {
  const p = endpoint.getProperty('remote-endpoint');
  if (!p) return undefined;
  const phandle = firstCell(p);
  if (!isValidPhandle(phandle)) return undefined;
  const node = factsOf(ctx).nodeByPhandle(phandle);
  if (!node) ctx.report(endpoint, 'graph phandle is not valid', { property: p });
  return node;
}

function graphEndpointRow(v: DtcVersion): Check {
  return {
    id: 'graph_endpoint',
    level: 'warning',
    requires: ['graph_nodes'],
    description: "endpoints are named 'endpoint' and linked both ways",
    node(ctx, node) {
      if (!node.parent || factsOf(ctx).bus(node.parent) !== 'graph-port') return;
      if (v === '1.6.1') checkGraphName(ctx, node, 'endpoint');
      checkGraphReg(ctx, node);
      if (v !== '1.6.1') {
        if (ctx.tree.plugin) return;
        checkGraphName(ctx, node, 'endpoint');
      }
      const remote = remoteEndpoint(ctx, node);
      if (!remote) return;
      if (remoteEndpoint(ctx, remote) !== node) {
        ctx.report(node, `graph connection to node '${remote.path}' is not bidirectional`);
      }
    },
  };
}

/** dtc 1.6.1 only (removed in dtc 1.8.0). */
export const graphChildAddress: Check = {
  id: 'graph_child_address',
  level: 'warning',
  // later dtc also requires graph_port and graph_endpoint; 1.6.1 does not
  requires: ['graph_nodes'],
  description: 'a port(s) node with one child at address 0 needs no #address-cells',
  node(ctx, node) {
    const facts = factsOf(ctx);
    const bus = facts.bus(node);
    if (bus !== 'graph-ports' && bus !== 'graph-port') return;
    let count = 0;
    for (const child of node.nodes) {
      const reg = child.getProperty('reg');
      if (reg && firstCell(reg) !== 0) return;
      count++;
    }
    if (count === 1 && facts.addrCellsRaw(node) !== -1) {
      ctx.report(node, `graph node has single child node '${node.children[0].name}', #address-cells/#size-cells are not necessary`);
    }
  },
};

export const graphRows: Check[] = [graphNodes, graphPortRow('1.8.1'), graphEndpointRow('1.8.1')];

/** dtc 1.6.1's forms of the rows above, and its graph_child_address. */
export const graphRows161: Check[] = [graphPortRow('1.6.1'), graphEndpointRow('1.6.1'), graphChildAddress];
