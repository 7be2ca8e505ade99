import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.types.RawTaggedField;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;

/**
 * Golden protocol bytes from the Java client's generated message classes (kafka-clients 3.9.2), for
 * @x/protocol's byte-exact tests. Each entry is the frame body (request or response header, then the
 * message) as the Java client writes it, without the 4-byte size prefix, in hex. Run with run.sh.
 */
public class ProtocolGoldens {
    private static final Map<String, String> OUT = new LinkedHashMap<>();

    private static String hex(ByteBuffer buffer) {
        StringBuilder text = new StringBuilder();
        ByteBuffer copy = buffer.duplicate();
        while (copy.hasRemaining()) text.append(String.format("%02x", copy.get()));
        return text.toString();
    }

    private static ByteBuffer serialize(Message header, short headerVersion, Message body, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = (header == null ? 0 : header.size(cache, headerVersion)) + body.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        if (header != null) header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        buffer.flip();
        return buffer;
    }

    private static void request(String name, ApiMessage body, short version, int correlationId, String clientId) {
        ApiKeys key = ApiKeys.forId(body.apiKey());
        short headerVersion = key.requestHeaderVersion(version);
        RequestHeaderData header = new RequestHeaderData()
            .setRequestApiKey(body.apiKey())
            .setRequestApiVersion(version)
            .setCorrelationId(correlationId)
            .setClientId(clientId);
        OUT.put(name, hex(serialize(header, headerVersion, body, version)));
    }

    private static void response(String name, ApiMessage body, short version, int correlationId) {
        ApiKeys key = ApiKeys.forId(body.apiKey());
        short headerVersion = key.responseHeaderVersion(version);
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        OUT.put(name, hex(serialize(header, headerVersion, body, version)));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) {
        // ApiVersions v3: the first request a Java client sends, with its software name and version (KIP-511).
        request("ApiVersionsRequest v3", new ApiVersionsRequestData()
            .setClientSoftwareName("apache-kafka-java")
            .setClientSoftwareVersion("3.9.2"), (short) 3, 1, "x-client");
        request("ApiVersionsRequest v0", new ApiVersionsRequestData(), (short) 0, 0, "x-client");

        ApiVersionsResponseData.ApiVersionCollection keys = new ApiVersionsResponseData.ApiVersionCollection();
        keys.add(new ApiVersionsResponseData.ApiVersion().setApiKey((short) 0).setMinVersion((short) 0).setMaxVersion((short) 11));
        keys.add(new ApiVersionsResponseData.ApiVersion().setApiKey((short) 18).setMinVersion((short) 0).setMaxVersion((short) 4));
        ApiVersionsResponseData.SupportedFeatureKeyCollection supported = new ApiVersionsResponseData.SupportedFeatureKeyCollection();
        supported.add(new ApiVersionsResponseData.SupportedFeatureKey().setName("metadata.version").setMinVersion((short) 1).setMaxVersion((short) 21));
        ApiVersionsResponseData.FinalizedFeatureKeyCollection finalized = new ApiVersionsResponseData.FinalizedFeatureKeyCollection();
        finalized.add(new ApiVersionsResponseData.FinalizedFeatureKey().setName("metadata.version").setMinVersionLevel((short) 21).setMaxVersionLevel((short) 21));
        response("ApiVersionsResponse v3", new ApiVersionsResponseData()
            .setErrorCode((short) 0)
            .setApiKeys(keys)
            .setThrottleTimeMs(0)
            .setSupportedFeatures(supported)
            .setFinalizedFeaturesEpoch(42L)
            .setFinalizedFeatures(finalized)
            .setZkMigrationReady(false), (short) 3, 1);

        // Metadata v12: topics by name (topic id zero), no auto-creation, topic ACLs requested.
        MetadataRequestData metadata = new MetadataRequestData()
            .setTopics(new ArrayList<>(Arrays.asList(
                new MetadataRequestData.MetadataRequestTopic().setName("orders").setTopicId(Uuid.ZERO_UUID),
                new MetadataRequestData.MetadataRequestTopic().setName("payments").setTopicId(Uuid.ZERO_UUID))))
            .setAllowAutoTopicCreation(false)
            .setIncludeTopicAuthorizedOperations(true);
        request("MetadataRequest v12", metadata, (short) 12, 7, "x-client");
        request("MetadataRequest v4 all topics", new MetadataRequestData().setTopics(null).setAllowAutoTopicCreation(true), (short) 4, 8, "x-client");

        MetadataResponseData.MetadataResponseBrokerCollection brokers = new MetadataResponseData.MetadataResponseBrokerCollection();
        brokers.add(new MetadataResponseData.MetadataResponseBroker().setNodeId(1).setHost("broker-1").setPort(9092).setRack("rack-a"));
        MetadataResponseData.MetadataResponseTopicCollection topics = new MetadataResponseData.MetadataResponseTopicCollection();
        topics.add(new MetadataResponseData.MetadataResponseTopic()
            .setErrorCode((short) 0)
            .setName("orders")
            .setTopicId(Uuid.fromString("pR2Jc9wXRd2tNbXsoGn6Qw"))
            .setIsInternal(false)
            .setPartitions(Collections.singletonList(new MetadataResponseData.MetadataResponsePartition()
                .setErrorCode((short) 0).setPartitionIndex(0).setLeaderId(1).setLeaderEpoch(3)
                .setReplicaNodes(Arrays.asList(1, 2, 3)).setIsrNodes(Arrays.asList(1, 2)).setOfflineReplicas(Collections.singletonList(3))))
            .setTopicAuthorizedOperations(0x0ff8));
        response("MetadataResponse v12", new MetadataResponseData()
            .setThrottleTimeMs(0).setBrokers(brokers).setClusterId("x-cluster").setControllerId(1).setTopics(topics), (short) 12, 7);

        // Produce v9 (flexible) and v3 (classic) with one record batch as the records payload.
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
            new SimpleRecord(1700000000000L, utf8("key-1"), utf8("value-1")),
            new SimpleRecord(1700000000001L, null, utf8("value-2")));
        OUT.put("records", hex(records.buffer()));
        ProduceRequestData.TopicProduceDataCollection produceTopics = new ProduceRequestData.TopicProduceDataCollection();
        produceTopics.add(new ProduceRequestData.TopicProduceData().setName("orders").setPartitionData(
            Collections.singletonList(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records))));
        request("ProduceRequest v9", new ProduceRequestData().setTransactionalId(null).setAcks((short) -1).setTimeoutMs(30000)
            .setTopicData(produceTopics), (short) 9, 11, "x-client");
        ProduceRequestData.TopicProduceDataCollection produceTopics3 = new ProduceRequestData.TopicProduceDataCollection();
        produceTopics3.add(new ProduceRequestData.TopicProduceData().setName("orders").setPartitionData(
            Collections.singletonList(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records))));
        request("ProduceRequest v3 transactional", new ProduceRequestData().setTransactionalId("tx-1").setAcks((short) 1).setTimeoutMs(1500)
            .setTopicData(produceTopics3), (short) 3, 12, null);

        // Produce v10 response: a NOT_LEADER_OR_FOLLOWER partition with the tagged CurrentLeader and NodeEndpoints.
        ProduceResponseData.TopicProduceResponseCollection produceResponses = new ProduceResponseData.TopicProduceResponseCollection();
        produceResponses.add(new ProduceResponseData.TopicProduceResponse().setName("orders").setPartitionResponses(Arrays.asList(
            new ProduceResponseData.PartitionProduceResponse().setIndex(0).setErrorCode((short) 0).setBaseOffset(1234L)
                .setLogAppendTimeMs(-1L).setLogStartOffset(0L),
            new ProduceResponseData.PartitionProduceResponse().setIndex(1).setErrorCode((short) 6).setBaseOffset(-1L)
                .setLogAppendTimeMs(-1L).setLogStartOffset(-1L).setErrorMessage("not the leader")
                .setCurrentLeader(new ProduceResponseData.LeaderIdAndEpoch().setLeaderId(2).setLeaderEpoch(7)))));
        ProduceResponseData.NodeEndpointCollection endpoints = new ProduceResponseData.NodeEndpointCollection();
        endpoints.add(new ProduceResponseData.NodeEndpoint().setNodeId(2).setHost("broker-2").setPort(9093).setRack(null));
        response("ProduceResponse v10", new ProduceResponseData().setResponses(produceResponses).setThrottleTimeMs(0)
            .setNodeEndpoints(endpoints), (short) 10, 11);

        // Fetch v15: tagged ClusterId (tag 0) and the tagged ReplicaState struct (tag 1).
        FetchRequestData fetch = new FetchRequestData()
            .setClusterId("x-cluster")
            .setReplicaState(new FetchRequestData.ReplicaState().setReplicaId(3).setReplicaEpoch(9L))
            .setMaxWaitMs(500).setMinBytes(1).setMaxBytes(52428800).setIsolationLevel((byte) 1)
            .setSessionId(0).setSessionEpoch(-1)
            .setTopics(Collections.singletonList(new FetchRequestData.FetchTopic()
                .setTopicId(Uuid.fromString("pR2Jc9wXRd2tNbXsoGn6Qw"))
                .setPartitions(Collections.singletonList(new FetchRequestData.FetchPartition()
                    .setPartition(0).setCurrentLeaderEpoch(3).setFetchOffset(100L).setLastFetchedEpoch(2)
                    .setLogStartOffset(-1L).setPartitionMaxBytes(1048576)))))
            .setForgottenTopicsData(Collections.emptyList())
            .setRackId("rack-a");
        request("FetchRequest v15", fetch, (short) 15, 21, "x-client");

        response("InitProducerIdResponse v4", new InitProducerIdResponseData().setThrottleTimeMs(0).setErrorCode((short) 0)
            .setProducerId(4000L).setProducerEpoch((short) 0), (short) 4, 3);
        request("FindCoordinatorRequest v4", new FindCoordinatorRequestData().setKeyType((byte) 1)
            .setCoordinatorKeys(Arrays.asList("tx-1", "tx-2")), (short) 4, 2, "x-client");

        AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection txnTopics = new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection();
        txnTopics.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName("orders").setPartitions(Arrays.asList(0, 1)));
        request("AddPartitionsToTxnRequest v3", new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId("tx-1")
            .setV3AndBelowProducerId(4000L).setV3AndBelowProducerEpoch((short) 0).setV3AndBelowTopics(txnTopics), (short) 3, 4, "x-client");

        // CreateTopics v5 response: the tagged TopicConfigErrorCode (tag 0).
        CreateTopicsResponseData.CreatableTopicResultCollection created = new CreateTopicsResponseData.CreatableTopicResultCollection();
        created.add(new CreateTopicsResponseData.CreatableTopicResult().setName("orders").setTopicId(Uuid.fromString("pR2Jc9wXRd2tNbXsoGn6Qw"))
            .setErrorCode((short) 0).setErrorMessage(null).setTopicConfigErrorCode((short) 29).setNumPartitions(3).setReplicationFactor((short) 1)
            .setConfigs(null));
        response("CreateTopicsResponse v5", new CreateTopicsResponseData().setThrottleTimeMs(0).setTopics(created), (short) 5, 9);

        // A response header v1 carrying a tagged field the client does not know.
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(5);
        header.unknownTaggedFields().add(new RawTaggedField(7, new byte[] {1, 2, 3}));
        OUT.put("ResponseHeader v1 unknown tag 7", hex(serialize(null, (short) 0, header, (short) 1)));

        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"source\": \"kafka-clients 3.9.2 generated message classes, printed by tools/codegen/vectors/ProtocolGoldens.java\",\n");
        json.append("  \"frames\": {\n");
        int index = 0;
        for (Map.Entry<String, String> entry : OUT.entrySet()) {
            json.append("    \"").append(entry.getKey()).append("\": \"").append(entry.getValue()).append('"');
            json.append(++index < OUT.size() ? ",\n" : "\n");
        }
        json.append("  }\n}\n");
        System.out.print(json);
    }
}
