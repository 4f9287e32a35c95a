using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Messaging;

namespace ScalableBackend.Stacks.Config;

public static partial class EnvironmentValidator
{
    /// <summary>Checks the <c>queues</c>, <c>events</c>, <c>brokers</c> and <c>workers</c> sections and their cross-references.</summary>
    private static void ValidateMessaging(string file, EnvironmentConfig config)
    {
        ConfigException Error(string path, string problem) => new(file, path, problem);
        var queues = config.Queues ?? new Dictionary<string, QueueConfig>();
        var workers = config.Workers ?? new Dictionary<string, WorkerConfig>();
        var members = config.Services.Keys.Concat(workers.Keys).Order(StringComparer.Ordinal).ToList();
        string Declared(IEnumerable<string> keys) => keys.Any() ? string.Join(", ", keys.Order(StringComparer.Ordinal)) : "none";

        void CheckMembers(string at, IReadOnlyList<string>? names)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < (names?.Count ?? 0); i++)
            {
                if (!members.Contains(names![i]))
                    throw Error($"{at}[{i}]", $"= {names[i]} is not a service or worker; declared: {Declared(members)}");
                if (!seen.Add(names[i]))
                    throw Error($"{at}[{i}]", $"= {names[i]} is listed twice");
            }
        }

        foreach (var (name, queue) in queues.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var at = $"queues.{name}";
            if (!WebService.IsValidKey(name))
                throw Error(at, "is not a valid queue name: lower-case letters, digits and dashes, starting with a letter (at most 40)");
            Mapped(file, at, () => MessageQueue.Validate(queue));
            CheckMembers($"{at}.producers", queue.Producers);
            CheckMembers($"{at}.consumers", queue.Consumers);
        }

        foreach (var (name, worker) in workers.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var at = $"workers.{name}";
            if (!WebService.IsValidKey(name))
                throw Error(at, "is not a valid worker name: lower-case letters, digits and dashes, starting with a letter (at most 40)");
            if (config.Services.ContainsKey(name))
                throw Error(at, $"is also a service; services and workers share one name space");
            if (!InstanceTypePattern().IsMatch(worker.InstanceType))
                throw Error($"{at}.instanceType", $"= {worker.InstanceType} must be an EC2 instance type such as t3.small");
            if (!queues.ContainsKey(worker.Queue))
                throw Error($"{at}.queue", $"= {worker.Queue} is not a queue; declared: {Declared(queues.Keys)}");
            Mapped(file, at, () => WorkerService.Validate(worker));
        }

        foreach (var (name, evt) in (config.Events ?? new Dictionary<string, EventConfig>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var at = $"events.{name}";
            if (!WebService.IsValidKey(name))
                throw Error(at, "is not a valid event name: lower-case letters, digits and dashes, starting with a letter (at most 40)");
            if (evt.Subscribers.Count == 0)
                throw Error($"{at}.subscribers", "must list at least one queue");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < evt.Subscribers.Count; i++)
            {
                var queue = evt.Subscribers[i];
                if (!queues.TryGetValue(queue, out var q))
                    throw Error($"{at}.subscribers[{i}]", $"= {queue} is not a queue; declared: {Declared(queues.Keys)}");
                if (q.Fifo == true)
                    throw Error($"{at}.subscribers[{i}]", $"= {queue} is a FIFO queue; an event topic delivers only to standard queues");
                if (!seen.Add(queue))
                    throw Error($"{at}.subscribers[{i}]", $"= {queue} is listed twice");
            }
            CheckMembers($"{at}.publishers", evt.Publishers);
        }

        if (config.Brokers?.Rabbitmq is { } rabbit)
        {
            Mapped(file, "brokers.rabbitmq", () => RabbitMqBroker.Validate(rabbit));
            CheckMembers("brokers.rabbitmq.users", rabbit.Users);
            Mapped(file, "brokers.rabbitmq", () => RabbitMqBroker.ValidateUsers(rabbit.AdminUsername ?? "broker-admin", rabbit.Users));
        }
        if (config.Brokers?.Kafka is { } kafka)
        {
            Mapped(file, "brokers.kafka", () => KafkaCluster.Validate(kafka, config.Network.AvailabilityZones.Count));
            CheckMembers("brokers.kafka.users", kafka.Users);
            var users = kafka.Users ?? [];
            void CheckUsers(string at, IReadOnlyList<string>? names)
            {
                CheckMembers(at, names);
                for (var i = 0; i < (names?.Count ?? 0); i++)
                    if (!users.Contains(names![i]))
                        throw Error($"{at}[{i}]", $"= {names[i]} is not in brokers.kafka.users ({Declared(users)}): only a user connects");
            }
            foreach (var (name, topic) in (kafka.Topics ?? new Dictionary<string, KafkaTopicConfig>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var at = $"brokers.kafka.topics.{name}";
                if (!KafkaCluster.IsValidTopicName(name))
                    throw Error(at, $"is not a valid topic name: {KafkaCluster.TopicNameRule}");
                CheckUsers($"{at}.producers", topic.Producers);
                CheckUsers($"{at}.consumers", topic.Consumers);
            }
            foreach (var (name, group) in (kafka.Groups ?? new Dictionary<string, KafkaGroupConfig>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var at = $"brokers.kafka.groups.{name}";
                if (!KafkaCluster.IsValidTopicName(name))
                    throw Error(at, $"is not a valid consumer group id: {KafkaCluster.TopicNameRule}");
                if (group.Members.Count == 0)
                    throw Error($"{at}.members", "must list at least one user");
                CheckUsers($"{at}.members", group.Members);
            }
        }
    }
}
