package dev.lookout.simulator;

import java.util.List;
import java.util.stream.IntStream;

/** Probe prompts for the tests: a small realistic suite and large generated ones for share statistics. */
final class Prompts {

    static final List<String> EN = List.of(
            "How do I change the delivery address of my order?",
            "My package has not arrived yet. What should I do?",
            "Can I get a refund for a damaged item?",
            "How do I reset my password?",
            "Is it possible to cancel my subscription before the end of the month?",
            "Why was my card charged twice?",
            "Do you ship to Canada?",
            "The app crashes when I open my profile.");

    static final List<String> ZH = List.of(
            "我的退款什么时候到账？",
            "怎么修改收货地址？",
            "订单显示已发货，但是一直没有物流信息。",
            "我想取消订阅，应该怎么操作？",
            "为什么我的账户被冻结了？",
            "可以开发票吗？",
            "商品有质量问题，可以换货吗？",
            "忘记密码了怎么办？");

    static final List<String> SUITE = concat(EN, ZH);

    private Prompts() {
    }

    static List<String> generatedEn(int count) {
        return IntStream.range(0, count).mapToObj(i -> "Question " + i + ": where is order #" + (1000 + i) + "?")
                .toList();
    }

    static List<String> generatedZh(int count) {
        return IntStream.range(0, count).mapToObj(i -> "第" + i + "个问题：订单" + (1000 + i) + "在哪里？").toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
