// A device node whose configuration may name simulated devices: the controller's node runtime
// over the demo's virtual devices.
import { type NodeOptions, type RunningNode, startNode } from "../controller/nodes/node-runtime.js";
import { SimulatedDevices } from "./simulated-devices.js";

export interface DemoNode extends RunningNode {
  simulated: SimulatedDevices;
}

export async function startDemoNode(options: Omit<NodeOptions, "simulated">): Promise<DemoNode> {
  const simulated = new SimulatedDevices(options.log);
  let node: RunningNode;
  try {
    node = await startNode({ ...options, simulated });
  } catch (error) {
    await simulated.close();
    throw error;
  }
  const stopNode = node.stop;
  return Object.assign(node, {
    simulated,
    async stop() {
      await stopNode();
      await simulated.close();
    },
  });
}
