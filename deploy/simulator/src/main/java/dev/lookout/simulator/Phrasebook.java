package dev.lookout.simulator;

import java.util.List;
import java.util.regex.Pattern;

/** The sentence banks the simulated customer-service assistant builds its answers from, per language. */
enum Phrasebook {

    EN(" ", 12, "your request",
            List.of("Thanks for reaching out about \"%s\".",
                    "You asked: \"%s\".",
                    "Regarding \"%s\", here is what you can do.",
                    "Thank you for your question about \"%s\"."),
            List.of("You can check the current status on the Orders page of your account.",
                    "This setting can be changed under Account > Preferences.",
                    "Standard processing takes three to five business days.",
                    "Refunds go back to the original payment method once the return arrives at our warehouse.",
                    "A confirmation email is sent when the change takes effect.",
                    "If the problem persists, reply with your order number and a short description.",
                    "Our support team is available Monday to Friday, 9:00 to 18:00.",
                    "Step-by-step instructions are also available in the Help Center."),
            List.of("Please note that orders placed on weekends are processed on the next business day.",
                    "You will find the tracking number in the shipping confirmation email.",
                    "For security reasons, some changes require you to sign in again.",
                    "Gift cards and promotional credits cannot be exchanged for cash."),
            List.of("Is there anything else I can help you with?",
                    "Let me know if you have any other questions.",
                    "Have a great day!"),
            CheckpointDrift.PHRASE_SENTENCES_EN,
            "The customer asks about \"%s\". I should answer politely, say where they can check or change this,"
                    + " and offer further help."),

    ZH("", 24, "您的问题",
            List.of("您好，关于“%s”，我来为您说明。",
                    "您好！您咨询的是“%s”。",
                    "感谢您的咨询：“%s”。",
                    "您好，针对“%s”这个问题，"),
            List.of("您可以在“我的订单”页面查看最新状态。",
                    "相关设置可以在“账户 > 偏好设置”中修改。",
                    "一般情况下，处理时间为三到五个工作日。",
                    "退货送达仓库后，退款会原路退回到您的支付账户。",
                    "变更生效后，系统会向您发送确认邮件。",
                    "如问题仍未解决，请回复您的订单号和简要描述。",
                    "客服工作时间为周一至周五 9:00–18:00。",
                    "您也可以在帮助中心查看详细的操作步骤。"),
            List.of("请注意，周末提交的订单将在下一个工作日处理。",
                    "物流单号可以在发货确认邮件中找到。",
                    "出于安全考虑，部分修改需要重新登录。",
                    "礼品卡和优惠券不能兑换现金。"),
            List.of("请问还有其他可以帮您的吗？",
                    "如有其他问题，欢迎随时联系我们。",
                    "祝您生活愉快！"),
            CheckpointDrift.PHRASE_SENTENCES_ZH,
            "用户询问的是“%s”。我应该礼貌地回答，说明在哪里可以查看或修改，并询问是否还需要其他帮助。");

    private static final Pattern FIRST_SENTENCE = Pattern.compile("^(.+?[.?!。？！])(?:\\s|(?<=[。？！])).*$");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[\\p{Punct}？。！，、；：]+$");

    final String separator;
    final int excerptTokens;
    final String fallbackExcerpt;
    final List<String> openers;
    final List<String> bodies;
    final List<String> details;
    final List<String> closers;
    final List<String> phraseSentences;
    final String reasoning;

    Phrasebook(String separator, int excerptTokens, String fallbackExcerpt, List<String> openers,
               List<String> bodies, List<String> details, List<String> closers, List<String> phraseSentences,
               String reasoning) {
        this.separator = separator;
        this.excerptTokens = excerptTokens;
        this.fallbackExcerpt = fallbackExcerpt;
        this.openers = openers;
        this.bodies = bodies;
        this.details = details;
        this.closers = closers;
        this.phraseSentences = phraseSentences;
        this.reasoning = reasoning;
    }

    static Phrasebook of(String prompt) {
        return Tokens.containsCjk(prompt) ? ZH : EN;
    }

    /**
     * The key part of the question that the answer echoes: its first sentence on one line, without the final
     * punctuation, cut to {@code excerptTokens} tokens (with an ellipsis) when longer.
     */
    String excerpt(String prompt) {
        String oneLine = WHITESPACE.matcher(prompt).replaceAll(" ").trim();
        String sentence = FIRST_SENTENCE.matcher(oneLine).replaceFirst("$1");
        String cut = Tokens.truncate(sentence, excerptTokens);
        String excerpt = TRAILING_PUNCTUATION.matcher(cut).replaceFirst("");
        if (excerpt.isEmpty()) {
            return fallbackExcerpt;
        }
        return cut.length() < sentence.length() ? excerpt + "…" : excerpt;
    }
}
