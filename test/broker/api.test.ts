import { brokerApiSuite } from "./support/apiSuite";
import { TestFleet } from "./support/testFleet";

brokerApiSuite(new TestFleet());
